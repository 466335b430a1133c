import { useState } from 'react'
import { addChamber, archiveChamber, unarchiveChamber, type MapSnapshot } from '../../../shared/src'
import type * as Y from 'yjs'
import { attempt } from '../app/attempt'

/** The board's chambers (stakeholder groups): list, add, archive and unarchive. */
export const ChamberManager = ({ doc, snapshot, readOnly }: { doc: Y.Doc; snapshot: MapSnapshot; readOnly: boolean }) => {
  const [name, setName] = useState('')
  const [error, setError] = useState<string | null>(null)
  const members = (id: string) => snapshot.actors.filter((a) => a.chambers.some((c) => c === id)).length

  return (
    <section className="map-section" aria-label="Chambers">
      <h3>Chambers</h3>
      {snapshot.chambers.length === 0 ? (
        <p className="muted">No chambers yet: groups such as workers, users or neighbours.</p>
      ) : (
        <ul className="map-chambers">
          {snapshot.chambers.map((chamber) => (
            <li key={chamber.id} className={chamber.archived ? 'archived' : undefined}>
              <span className="grow">
                {chamber.name} <span className="muted">({members(chamber.id)})</span>
                {chamber.archived && <span className="chip">archived</span>}
              </span>
              {!readOnly && (
                <button
                  type="button"
                  className="link"
                  aria-label={`${chamber.archived ? 'Unarchive' : 'Archive'} chamber ${chamber.name}`}
                  onClick={() =>
                    setError(
                      attempt(() => (chamber.archived ? unarchiveChamber : archiveChamber)(doc, chamber.id)),
                    )
                  }
                >
                  {chamber.archived ? 'Unarchive' : 'Archive'}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {!readOnly && (
        <form
          className="row"
          aria-label="Add chamber"
          onSubmit={(e) => {
            e.preventDefault()
            const problem = attempt(() => addChamber(doc, { name }))
            setError(problem)
            if (problem === null) setName('')
          }}
        >
          <label className="grow">
            <span className="visually-hidden">New chamber name</span>
            <input name="chamber" placeholder="New chamber" value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <button type="submit">Add chamber</button>
        </form>
      )}
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  )
}
