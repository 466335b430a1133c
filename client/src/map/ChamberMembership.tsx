import { useState } from 'react'
import { addActorToChamber, removeActorFromChamber, type Actor, type MapSnapshot } from '../../../shared/src'
import type * as Y from 'yjs'
import { attempt } from '../app/attempt'

interface Props {
  readonly doc: Y.Doc
  readonly snapshot: MapSnapshot
  readonly actor: Actor
  readonly readOnly: boolean
}

/** The chambers the selected actor belongs to, as checkboxes that join or leave at once. */
export const ChamberMembership = ({ doc, snapshot, actor, readOnly }: Props) => {
  const [error, setError] = useState<string | null>(null)
  // Archived chambers show only where the actor is still a member: they take no new members.
  const shown = snapshot.chambers.filter((c) => !c.archived || actor.chambers.includes(c.id))
  if (shown.length === 0) return <p className="muted">No chambers yet.</p>
  return (
    <fieldset className="map-checks">
      <legend>Chambers</legend>
      {shown.map((chamber) => {
        const member = actor.chambers.includes(chamber.id)
        return (
          <label key={chamber.id} className="row">
            <input
              type="checkbox"
              checked={member}
              disabled={readOnly || (chamber.archived && !member)}
              onChange={() =>
                setError(
                  attempt(() =>
                    member
                      ? removeActorFromChamber(doc, actor.id, chamber.id)
                      : addActorToChamber(doc, actor.id, chamber.id),
                  ),
                )
              }
            />
            {chamber.name}
            {chamber.archived && <span className="chip">archived</span>}
          </label>
        )
      })}
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </fieldset>
  )
}
