import { setActorMember, type Actor, type ActorId, type MapSnapshot, type BoardMember, type MemberId } from '../../../shared/src'
import type * as Y from 'yjs'
import { attempt } from '../app/attempt'
import { ActorMember } from './ActorMember'
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
  /** The board's verified members, and which member each actor is (SPEC [C11]). */
  readonly members: readonly BoardMember[]
  readonly actorMembers: ReadonlyMap<ActorId, MemberId>
  readonly readOnly: boolean
  readonly onSelect: (id: ActorId | null) => void
}

/**
 * The map's side panel: the selected actor (edit, archive, board member, chambers, relations, connect), a form
 * to add an actor, and the chambers. On a read-only board it only shows.
 */
export const ActorPanel = ({ doc, snapshot, selected, members, actorMembers, readOnly, onSelect }: Props) => {
  const chamberNames = new Map(snapshot.chambers.map((c) => [c.id, c.name]))
  const linked = selected === null ? undefined : actorMembers.get(selected.id)
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
              <dt>Board member</dt>
              <dd>{linked === undefined ? '—' : (members.find((m) => m.id === linked)?.name ?? 'A member not yet synced')}</dd>
            </dl>
          ) : (
            <>
              <EditActorForm key={selected.id} doc={doc} actor={selected} />
              <ActorMember
                key={`member-${selected.id}`}
                actor={selected}
                members={members}
                linked={linked}
                readOnly={readOnly}
                onLink={(member) => attempt(() => setActorMember(doc, selected.id, member))}
              />
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
