import type { BoardMember, MemberId } from '../../../shared/src'

/** Who may open polls: every member, or only those listed, picked from the board's verified members (SPEC [H1]). */
export const OpenersField = ({
  openers,
  list,
  members,
  onChange,
}: {
  openers: 'any-member' | 'listed'
  list: readonly MemberId[]
  members: readonly BoardMember[]
  onChange: (openers: 'any-member' | 'listed', list: readonly MemberId[]) => void
}) => {
  // Listed members this device has no verified record of yet stay listed, shown as such.
  const unknown = list.filter((id) => !members.some((m) => m.id === id))
  const toggle = (id: MemberId): void =>
    onChange(openers, list.includes(id) ? list.filter((x) => x !== id) : [...list, id])
  return (
    <fieldset className="stack charter-checks">
      <legend>Who may open polls</legend>
      <label className="row">
        <input type="radio" name="openers" checked={openers === 'any-member'} onChange={() => onChange('any-member', list)} />
        Every member
      </label>
      <label className="row">
        <input type="radio" name="openers" checked={openers === 'listed'} onChange={() => onChange('listed', list)} />
        Only the members ticked below
      </label>
      {openers === 'listed' && (
        <div className="stack" role="group" aria-label="Members who may open polls">
          {members.map((m) => (
            <label key={m.id} className="row">
              <input type="checkbox" checked={list.includes(m.id)} onChange={() => toggle(m.id)} />
              {m.name}
            </label>
          ))}
          {unknown.map((id) => (
            <label key={id} className="row">
              <input type="checkbox" checked onChange={() => toggle(id)} />A member not yet synced
            </label>
          ))}
        </div>
      )}
    </fieldset>
  )
}
