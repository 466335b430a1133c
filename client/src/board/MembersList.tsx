import type { Member, UnverifiedMemberRecord } from '../../../shared/src'

/**
 * The board's members, each person once with how many devices they sign from. Only records whose
 * signatures verify are members; a record that does not verify is listed apart as unverified, with
 * the reason, and is never used as anyone (SPEC [I4]).
 */
export const MembersList = ({
  members,
  unverified,
  me,
}: {
  members: readonly Member[]
  unverified: readonly UnverifiedMemberRecord[]
  me: string
}) => (
  <section className="members" aria-labelledby="members-heading" data-testid="members">
    <h2 id="members-heading">Members</h2>
    <ul>
      {members.map((m) => (
        <li key={m.id} title={`${m.devices.length} device${m.devices.length === 1 ? '' : 's'}, signed`}>
          <span className="dot" style={{ background: m.color }} aria-hidden="true" /> {m.name}
          {m.id === me ? ' (you)' : ''}
          {m.devices.length > 1 && <span className="muted"> · {m.devices.length} devices</span>}
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
  </section>
)
