import type { Presence } from '../collab/presence'

export const PresenceList = ({ people }: { people: readonly Presence[] }) => (
  <ul className="presence" aria-label="Who is here" data-testid="presence">
    {people.map((p) => (
      <li key={p.clientId} title={p.isSelf ? `${p.name} (you)` : p.name}>
        <span className="avatar" style={{ background: p.color }} aria-hidden="true">
          {p.name.slice(0, 1).toUpperCase()}
        </span>
        <span className="presence-name">
          {p.name}
          {p.isSelf ? ' (you)' : ''}
        </span>
      </li>
    ))}
  </ul>
)
