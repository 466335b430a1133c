import { useState } from 'react'
import type { Actor, BoardMember, MemberId } from '../../../shared/src'

interface Props {
  readonly actor: Actor
  /** The board's verified members. */
  readonly members: readonly BoardMember[]
  /** The member the actor is now, if any. */
  readonly linked: MemberId | undefined
  readonly readOnly: boolean
  /** Links the actor to `member` (null: nobody); returns the refusal in words, or null. */
  readonly onLink: (member: MemberId | null) => string | null
}

/**
 * "Board member": which verified member this actor is, so that the member votes in the actor's
 * chambers (SPEC [C11]). Archived actors keep their link but take no new one.
 */
export const ActorMember = ({ actor, members, linked, readOnly, onLink }: Props) => {
  const [error, setError] = useState<string | null>(null)
  const known = linked === undefined || members.some((m) => m.id === linked)
  return (
    <div className="stack" data-testid="actor-member">
      <label>
        Board member{' '}
        <select
          value={linked ?? ''}
          disabled={readOnly || (actor.archived && linked === undefined)}
          onChange={(e) => {
            const value = e.target.value
            setError(onLink(value === '' ? null : (value as MemberId)))
          }}
        >
          <option value="">None</option>
          {!known && linked !== undefined && <option value={linked}>A member not yet synced</option>}
          {members.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </label>
      <p className="muted">The member votes in this actor’s chambers when the charter gives them a threshold.</p>
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  )
}
