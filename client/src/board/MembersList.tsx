import type { BoardMember, TrustFlag, UnverifiedMemberRecord } from '../../../shared/src'

/** What a flag in the board's signed entries means, for people (SPEC [E7], [J4], [J6], [J7], [J1]). */
const flagText = (flag: TrustFlag, nameOfDevice: (key: string) => string): string => {
  switch (flag.kind) {
    case 'fork':
      return `${nameOfDevice(flag.device)} signed two different entries as its number ${flag.seq}: signed proof of equivocation.`
    case 'refused':
      return `An entry by ${nameOfDevice(flag.device)} does not count: ${flag.reason}.`
    case 'revoked-device-wrote':
      return `A removed device (${nameOfDevice(flag.device)}) wrote ${flag.entries} more ${flag.entries === 1 ? 'entry' : 'entries'}; they do not count.`
    case 'invite-overused':
      return `An invitation for ${flag.uses} was used by ${flag.joins} devices.`
    case 'waiting':
      return `${flag.entries} signed ${flag.entries === 1 ? 'entry waits' : 'entries wait'} for ${flag.missing} earlier ${flag.missing === 1 ? 'one' : 'ones'} to arrive.`
    case 'rival-geneses':
      return `${flag.entries.length} different founding entries claim this board, and this device has no link saying which is real: nothing counts until you open the board with a link from a member.`
  }
}

/**
 * The board's members, each person once with how many devices they sign from. On a founded board
 * each shows who admitted them, and signed entries that do not count are listed with why (SPEC
 * [J9]). On a legacy board, member records that do not verify are listed apart as unverified, with
 * the reason, and are never used as anyone (SPEC [I4]).
 */
export const MembersList = ({
  members,
  unverified,
  flags,
  me,
}: {
  members: readonly BoardMember[]
  unverified: readonly UnverifiedMemberRecord[]
  flags: readonly TrustFlag[]
  me: string
}) => {
  const nameOf = (id: string | null): string => members.find((m) => m.id === id)?.name ?? 'a member not yet synced'
  const nameOfDevice = (key: string): string => {
    const owner = members.find((m) => m.devices.includes(key))
    return owner === undefined ? 'a device that is no member’s' : `a device of ${owner.name}`
  }
  return (
    <section className="members" aria-labelledby="members-heading" data-testid="members">
      <h2 id="members-heading">Members</h2>
      <ul>
        {members.map((m) => (
          <li key={m.id} title={`${m.devices.length} device${m.devices.length === 1 ? '' : 's'}, signed`}>
            <span className="dot" style={{ background: m.color }} aria-hidden="true" /> {m.name}
            {m.id === me ? ' (you)' : ''}
            {m.devices.length > 1 && <span className="muted"> · {m.devices.length} devices</span>}
            {m.founder && <span className="muted"> · founder</span>}
            {m.admittedBy !== null && <span className="muted" data-testid="admitted-by"> · admitted by {nameOf(m.admittedBy)}</span>}
            <span className="verified" aria-label="verified">
              {' '}
              ✓
            </span>
          </li>
        ))}
      </ul>
      {unverified.length > 0 && (
        <>
          <h3>Unverified records</h3>
          <ul className="unverified" data-testid="unverified-members">
            {unverified.map((u) => (
              <li key={u.key}>
                {u.claimedName === '' ? 'A record' : `“${u.claimedName}”`} — unverified: {u.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      {flags.length > 0 && (
        <>
          <h3>Signed entries that do not count</h3>
          <ul className="unverified" data-testid="trust-flags">
            {flags.map((f, i) => (
              <li key={i}>{flagText(f, nameOfDevice)}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}
