import { useState } from 'react'
import { addRelation, RELATION_KINDS, type Actor, type ActorId, type MapSnapshot, type RelationKind } from '../../../shared/src'
import type * as Y from 'yjs'
import { attempt } from '../app/attempt'

interface Props {
  readonly doc: Y.Doc
  readonly snapshot: MapSnapshot
  readonly actor: Actor
}

/** Connects the selected actor to another with a relation kind and an optional note. */
export const ConnectForm = ({ doc, snapshot, actor }: Props) => {
  const others = snapshot.actors.filter((a) => a.id !== actor.id && !a.archived)
  const [to, setTo] = useState<ActorId | ''>('')
  const [kind, setKind] = useState<RelationKind>('depends-on')
  const [note, setNote] = useState('')
  const [error, setError] = useState<string | null>(null)
  if (others.length === 0) return <p className="muted">Add another actor to connect {actor.name} to it.</p>

  return (
    <form
      className="map-form stack compact"
      aria-label="Connect"
      onSubmit={(e) => {
        e.preventDefault()
        if (to === '') {
          setError('Choose the actor to connect to.')
          return
        }
        const problem = attempt(() => addRelation(doc, { from: actor.id, to, kind, note }))
        setError(problem)
        if (problem === null) setNote('')
      }}
    >
      <label>
        Relation{' '}
        <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as RelationKind)}>
          {RELATION_KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      <label>
        To{' '}
        <select name="to" value={to} onChange={(e) => setTo(e.target.value as ActorId | '')}>
          <option value="">Choose an actor…</option>
          {others.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Note
        <input name="note" value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={actor.archived}>
        Connect
      </button>
    </form>
  )
}
