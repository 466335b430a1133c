import { useState } from 'react'
import { addActor, type ActorId, type ChamberId, type MapSnapshot } from '../../../shared/src'
import type * as Y from 'yjs'
import { ActorFields, emptyDraft, type ActorDraft } from './ActorFields'
import { attempt } from '../app/attempt'
import { parseList } from './layout'

interface Props {
  readonly doc: Y.Doc
  readonly snapshot: MapSnapshot
  readonly onAdded: (id: ActorId) => void
}

/** Adds an actor with its name, kind, description, interests and chambers. */
export const AddActorForm = ({ doc, snapshot, onAdded }: Props) => {
  const [draft, setDraft] = useState<ActorDraft>(emptyDraft)
  const [chambers, setChambers] = useState<readonly ChamberId[]>([])
  const [error, setError] = useState<string | null>(null)
  const open = snapshot.chambers.filter((c) => !c.archived)

  return (
    <form
      className="map-form stack compact"
      aria-label="Add actor"
      onSubmit={(e) => {
        e.preventDefault()
        let added: ActorId | null = null
        const problem = attempt(() => {
          added = addActor(doc, {
            name: draft.name,
            kind: draft.kind,
            description: draft.description,
            interests: parseList(draft.interests),
            chambers: chambers.filter((id) => open.some((c) => c.id === id)),
          })
        })
        setError(problem)
        if (added === null) return
        setDraft(emptyDraft)
        setChambers([])
        onAdded(added)
      }}
    >
      <h3>Add an actor</h3>
      <ActorFields draft={draft} onChange={setDraft} />
      {open.length > 0 && (
        <fieldset className="map-checks">
          <legend>Chambers</legend>
          {open.map((chamber) => (
            <label key={chamber.id} className="row">
              <input
                type="checkbox"
                checked={chambers.includes(chamber.id)}
                onChange={(e) =>
                  setChambers((list) =>
                    e.target.checked ? [...list, chamber.id] : list.filter((id) => id !== chamber.id),
                  )
                }
              />
              {chamber.name}
            </label>
          ))}
        </fieldset>
      )}
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit">Add actor</button>
    </form>
  )
}
