import type { Chamber } from '../../../shared/src'
import type { ChamberDraft } from './charterDraft'

/**
 * Chamber thresholds (SPEC [C11]): the map's chambers, each ticked to give it a threshold. On a
 * proposal that affects ticked chambers, each must pass on its own.
 */
export const ChamberThresholdsField = ({
  drafts,
  chambers,
  onChange,
}: {
  drafts: readonly ChamberDraft[]
  /** The stakeholder map's chambers. */
  chambers: readonly Chamber[]
  onChange: (drafts: readonly ChamberDraft[]) => void
}) => {
  // Archived chambers show only while they have a threshold; one not on this device yet stays as it is.
  const shown = chambers.filter((c) => !c.archived || drafts.some((d) => d.chamber === c.id))
  const unknown = drafts.filter((d) => !chambers.some((c) => c.id === d.chamber))
  const rows = [...shown.map((c) => ({ id: c.id, name: c.name })), ...unknown.map((d) => ({ id: d.chamber, name: 'A chamber not yet synced' }))]
  return (
    <fieldset className="stack charter-checks">
      <legend>Chamber thresholds</legend>
      {rows.length === 0 ? (
        <p className="muted">No chambers on the stakeholder map yet: add them on the Map tab.</p>
      ) : (
        <p className="muted">A proposal affecting a ticked chamber passes only if that chamber’s own stances reach its threshold.</p>
      )}
      {rows.map(({ id, name }) => {
        const draft = drafts.find((d) => d.chamber === id)
        return (
          <div key={id} className="row">
            <label className="row">
              <input
                type="checkbox"
                checked={draft !== undefined}
                onChange={() =>
                  onChange(draft === undefined ? [...drafts, { chamber: id, percent: '50' }] : drafts.filter((d) => d.chamber !== id))
                }
              />
              {name}
            </label>
            {draft !== undefined && (
              <label>
                Threshold for {name} (%){' '}
                <input
                  type="number"
                  min={0}
                  max={100}
                  step="any"
                  value={draft.percent}
                  onChange={(e) => onChange(drafts.map((d) => (d.chamber === id ? { ...d, percent: e.target.value } : d)))}
                />
              </label>
            )}
          </div>
        )
      })}
    </fieldset>
  )
}
