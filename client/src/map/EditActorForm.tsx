import { useState } from 'react'
import { archiveActor, unarchiveActor, updateActor, type Actor } from '../../../shared/src'
import type * as Y from 'yjs'
import { ActorFields, type ActorDraft } from './ActorFields'
import { attempt } from '../app/attempt'
import { parseList } from './layout'

const draftOf = (actor: Actor): ActorDraft => ({
  name: actor.name,
  kind: actor.kind,
  description: actor.description,
  interests: actor.interests.join(', '),
})

/** Edits the selected actor's fields, and archives or unarchives it. Render with `key={actor.id}`. */
export const EditActorForm = ({ doc, actor }: { doc: Y.Doc; actor: Actor }) => {
  const [draft, setDraft] = useState<ActorDraft>(() => draftOf(actor))
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState(false)

  return (
    <form
      className="map-form stack compact"
      aria-label="Edit actor"
      onSubmit={(e) => {
        e.preventDefault()
        const problem = attempt(() =>
          updateActor(doc, actor.id, {
            name: draft.name,
            kind: draft.kind,
            description: draft.description,
            interests: parseList(draft.interests),
          }),
        )
        setError(problem)
        setSaved(problem === null)
      }}
    >
      <ActorFields
        draft={draft}
        onChange={(next) => {
          setDraft(next)
          setSaved(false)
        }}
      />
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="row">
        <button type="submit">Save</button>
        <button
          type="button"
          className="secondary"
          onClick={() => setError(attempt(() => (actor.archived ? unarchiveActor : archiveActor)(doc, actor.id)))}
        >
          {actor.archived ? 'Unarchive' : 'Archive'}
        </button>
        {saved && (
          <span className="muted" role="status">
            Saved
          </span>
        )}
      </div>
    </form>
  )
}
