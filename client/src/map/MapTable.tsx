import type { ActorId, MapSnapshot } from '../../../shared/src'

interface Props {
  readonly snapshot: MapSnapshot
  readonly selected: ActorId | null
  readonly onSelect: (id: ActorId) => void
}

/** The stakeholder map as two tables (actors, relations): the same snapshot as the drawing, for keyboards and screen readers. */
export const MapTable = ({ snapshot, selected, onSelect }: Props) => {
  const names = new Map(snapshot.actors.map((a) => [a.id, a.name]))
  const chamberNames = new Map(snapshot.chambers.map((c) => [c.id, c.name]))
  return (
    <div className="map-table" data-testid="map-table">
      <table>
        <caption>Actors</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col">Chambers</th>
            <th scope="col">Interests</th>
            <th scope="col">Archived</th>
          </tr>
        </thead>
        <tbody>
          {snapshot.actors.length === 0 && (
            <tr>
              <td colSpan={5} className="muted">
                No actors yet.
              </td>
            </tr>
          )}
          {snapshot.actors.map((actor) => (
            <tr
              key={actor.id}
              className={`${actor.id === selected ? 'selected' : ''}${actor.archived ? ' archived' : ''}`}
              onClick={() => onSelect(actor.id)}
            >
              <th scope="row">
                <button type="button" className="link" aria-pressed={actor.id === selected} onClick={() => onSelect(actor.id)}>
                  {actor.name}
                </button>
              </th>
              <td>{actor.kind}</td>
              <td>{actor.chambers.map((id) => chamberNames.get(id) ?? '?').join(', ')}</td>
              <td>{actor.interests.join(', ')}</td>
              <td>{actor.archived ? 'archived' : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table>
        <caption>Relations</caption>
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">Kind</th>
            <th scope="col">To</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {snapshot.relations.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                No relations yet.
              </td>
            </tr>
          )}
          {snapshot.relations.map((r) => (
            <tr key={r.id} className={r.touchesArchived ? 'archived' : undefined}>
              <td>{names.get(r.from) ?? '?'}</td>
              <td>{r.kind}</td>
              <td>{names.get(r.to) ?? '?'}</td>
              <td>{r.note}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
