import { useState, type ReactNode } from 'react'
import { moveActor, type ActorId, type BoardMember } from '../../../shared/src'
import type * as Y from 'yjs'
import { ActorPanel } from './ActorPanel'
import { attempt } from '../app/attempt'
import { MapCanvas } from './MapCanvas'
import { MapTable } from './MapTable'
import { useActorMembers } from './useActorMembers'
import { useMapSnapshot } from './useMapSnapshot'

/** The board's stakeholder map: the drawing or the list (one snapshot for both), beside the actor panel. */
export const StakeholderMap = ({
  doc,
  readOnly,
  members,
  renderActorDialogue,
}: {
  doc: Y.Doc
  readOnly: boolean
  /** The board's verified members, offered as the member an actor is. */
  members: readonly BoardMember[]
  /** The discussion about the selected actor (threads whose subject is that actor). */
  renderActorDialogue?: (actorId: ActorId) => ReactNode
}) => {
  const snapshot = useMapSnapshot(doc)
  const actorMembers = useActorMembers(doc)
  const [mode, setMode] = useState<'map' | 'list'>('map')
  const [selectedId, setSelectedId] = useState<ActorId | null>(null)
  const [moveError, setMoveError] = useState<string | null>(null)
  if (snapshot === null) return <p className="muted empty-pane">Opening the map…</p>
  const selected = snapshot.actors.find((a) => a.id === selectedId) ?? null

  return (
    <div className="map-body">
      <section className="map-main" aria-label="Stakeholder map">
        <div className="map-toolbar row">
          <h2 className="grow">Stakeholder map</h2>
          <div className="map-mode" role="group" aria-label="Show as">
            <button type="button" aria-pressed={mode === 'map'} onClick={() => setMode('map')}>
              Map
            </button>
            <button type="button" aria-pressed={mode === 'list'} onClick={() => setMode('list')}>
              List
            </button>
          </div>
        </div>
        {moveError !== null && (
          <p role="alert" className="error">
            {moveError}
          </p>
        )}
        {mode === 'map' ? (
          <MapCanvas
            snapshot={snapshot}
            selected={selectedId}
            readOnly={readOnly}
            onSelect={setSelectedId}
            onMove={(id, position) => setMoveError(attempt(() => moveActor(doc, id, position)))}
          />
        ) : (
          <MapTable snapshot={snapshot} selected={selectedId} onSelect={setSelectedId} />
        )}
        {selected !== null && renderActorDialogue?.(selected.id)}
      </section>
      <ActorPanel
        doc={doc}
        snapshot={snapshot}
        selected={selected}
        members={members}
        actorMembers={actorMembers}
        readOnly={readOnly}
        onSelect={setSelectedId}
      />
    </div>
  )
}
