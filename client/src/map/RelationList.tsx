import { useState } from 'react'
import { removeRelation, type Actor, type MapSnapshot } from '../../../shared/src'
import type * as Y from 'yjs'
import { attempt } from '../app/attempt'

interface Props {
  readonly doc: Y.Doc
  readonly snapshot: MapSnapshot
  readonly actor: Actor
  readonly readOnly: boolean
}

/** The relations that touch the selected actor, each removable. */
export const RelationList = ({ doc, snapshot, actor, readOnly }: Props) => {
  const [error, setError] = useState<string | null>(null)
  const names = new Map(snapshot.actors.map((a) => [a.id, a.name]))
  const mine = snapshot.relations.filter((r) => r.from === actor.id || r.to === actor.id)
  if (mine.length === 0) return <p className="muted">No relations yet.</p>
  return (
    <>
      <ul className="map-relations" aria-label={`Relations of ${actor.name}`}>
        {mine.map((r) => {
          const text = `${names.get(r.from) ?? '?'} ${r.kind} ${names.get(r.to) ?? '?'}`
          return (
            <li key={r.id} className={r.touchesArchived ? 'archived' : undefined}>
              <span className="grow">
                {text}
                {r.note !== '' && <span className="muted"> — {r.note}</span>}
              </span>
              {!readOnly && (
                <button
                  type="button"
                  className="link"
                  aria-label={`Remove relation: ${text}`}
                  onClick={() => setError(attempt(() => removeRelation(doc, r.id)))}
                >
                  Remove
                </button>
              )}
            </li>
          )
        })}
      </ul>
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </>
  )
}
