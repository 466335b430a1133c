import type { Actor, ActorId, MapSnapshot } from '../../../shared/src'
import type * as Y from 'yjs'
import { AddActorForm } from './AddActorForm'
import { ChamberManager } from './ChamberManager'
import { ChamberMembership } from './ChamberMembership'
import { ConnectForm } from './ConnectForm'
import { EditActorForm } from './EditActorForm'
import { RelationList } from './RelationList'

interface Props {
  readonly doc: Y.Doc
  readonly snapshot: MapSnapshot
  readonly selected: Actor | null
  readonly readOnly: boolean
  readonly onSelect: (id: ActorId | null) => void
}

/**
 * The map's side panel: the selected actor (edit, archive, chambers, relations, connect), a form
 * to add an actor, and the chambers. On a read-only board it only shows.
 */
export const ActorPanel = ({ doc, snapshot, selected, readOnly, onSelect }: Props) => {
  const chamberNames = new Map(snapshot.chambers.map((c) => [c.id, c.name]))
  return (
    <aside className="map-panel" aria-label="Actor details">
      {selected === null ? (
        <p className="muted">Select an actor on the map or in the list{readOnly ? '.' : ', or add one.'}</p>
      ) : (
        <section className="map-section" aria-label={`Actor ${selected.name}`} data-testid="selected-actor">
          <div className="row">
            <h3 className="grow">
              {selected.name} {selected.archived && <span className="chip">archived</span>}
            </h3>
            <button type="button" className="link" onClick={() => onSelect(null)}>
              Close
            </button>
          </div>
          {readOnly ? (
            <dl className="map-details">
              <dt>Kind</dt>
              <dd>{selected.kind}</dd>
              {selected.description !== '' && (
                <>
                  <dt>Description</dt>
                  <dd>{selected.description}</dd>
                </>
              )}
              <dt>Interests</dt>
              <dd>{selected.interests.join(', ') || '—'}</dd>
              <dt>Chambers</dt>
              <dd>{selected.chambers.map((id) => chamberNames.get(id) ?? '?').join(', ') || '—'}</dd>
            </dl>
          ) : (
            <>
              <EditActorForm key={selected.id} doc={doc} actor={selected} />
              <ChamberMembership doc={doc} snapshot={snapshot} actor={selected} readOnly={readOnly} />
            </>
          )}
          <h4>Relations</h4>
          <RelationList doc={doc} snapshot={snapshot} actor={selected} readOnly={readOnly} />
          {!readOnly && !selected.archived && (
            <>
              <h4>Connect {selected.name} to…</h4>
              <ConnectForm key={selected.id} doc={doc} snapshot={snapshot} actor={selected} />
            </>
          )}
        </section>
      )}
      {!readOnly && <AddActorForm doc={doc} snapshot={snapshot} onAdded={onSelect} />}
      <ChamberManager doc={doc} snapshot={snapshot} readOnly={readOnly} />
    </aside>
  )
}
