import * as awarenessProtocol from 'y-protocols/awareness'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { MESSAGE_AWARENESS, MESSAGE_SYNC, SYNC_UPDATE } from '../../../shared/src'
import type { DocStore } from '../storage/DocStore'
import type { Logger } from '../log'
import type { RelayObserver } from './RelayObserver'
import { RoomDoc, type PendingAccount, type RoomDocLimits } from './RoomDoc'
import type { AwarenessEntry } from './awarenessEntries'

/** What a room needs from a connected socket. */
export interface RoomPeer extends PendingAccount {
  /** Awareness client ids this peer has announced (removed when it leaves). */
  readonly awarenessIds: Set<number>
  send(frame: Uint8Array): void
  /** Called after updates are committed, with the stored state vector (SPEC [D2]). */
  sendSaved(stateVector: Uint8Array): void
}

export interface RoomOptions extends RoomDocLimits {
  /** Presence entries (awareness client ids) one socket may announce (SPEC [Y8]). */
  readonly maxAwarenessPerSocket: number
  /** Presence entries a room holds at most (SPEC [Y8]). */
  readonly maxAwarenessPerRoom: number
}

/**
 * One live document: its Y.Doc (a RoomDoc, kept equal to storage), its awareness, and the
 * sockets in it.
 *
 * Every update the doc integrates is stored before it is broadcast (SPEC [Y2], [D1]), then sent to
 * every other peer. Presence (awareness) is kept in memory only, with caps per socket and per room,
 * and pruned when its socket leaves or it times out (SPEC [Y8]).
 */
export class Room {
  readonly name: string
  readonly awareness: awarenessProtocol.Awareness
  readonly peers = new Set<RoomPeer>()
  readonly #doc: RoomDoc
  #savedScheduled = false
  #closed = false
  readonly #options: RoomOptions

  constructor(name: string, store: DocStore, options: RoomOptions, observer: RelayObserver, log: Logger) {
    this.name = name
    this.#options = options
    this.#doc = new RoomDoc(name, store, options, observer, log)
    // Presence lives on a doc of its own: the content doc is replaced when it is rebuilt.
    this.awareness = new awarenessProtocol.Awareness(new Y.Doc())
    this.awareness.setLocalState(null)
    this.awareness.on('update', this.#onAwarenessUpdate)
  }

  /** The room's state vector (SyncStep1). */
  stateVector(): Uint8Array {
    return this.#doc.stateVector()
  }

  /** What a peer whose state vector is `stateVector` is missing (SyncStep2). */
  missingFrom(stateVector: Uint8Array): Uint8Array {
    return this.#doc.missingFrom(stateVector)
  }

  /**
   * Trial-applies an update from `origin`; what it integrated is stored, then sent to every other
   * peer. Throws UpdateRefused (nothing changed) or RoomUnavailable (see RoomDoc).
   */
  apply(update: Uint8Array, origin: RoomPeer): void {
    const integrated = this.#doc.apply(update, origin)
    if (integrated === null) return
    this.#scheduleSaved()
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_SYNC)
    encoding.writeVarUint(encoder, SYNC_UPDATE)
    encoding.writeVarUint8Array(encoder, integrated)
    const frame = encoding.toUint8Array(encoder)
    for (const peer of this.peers) if (peer !== origin) peer.send(frame)
  }

  get logSize(): { updates: number; bytes: number } {
    return this.#doc.logSize
  }

  /** Whether any entry would change the room's presence (a newer clock, or removing a present state). */
  bringsNews(entries: readonly AwarenessEntry[]): boolean {
    const { meta, states } = this.awareness
    return entries.some(({ clientId, clock, removal }) => {
      const known = meta.get(clientId)?.clock ?? 0
      return known < clock || (known === clock && removal && states.has(clientId))
    })
  }

  /**
   * Applies presence from `origin` (SPEC [Y8]): a removal of a state the room does not hold is
   * dropped (it would only leave a record behind), and a new client id is taken only while the
   * socket and the room are under their caps. Entries are applied as y-protocols applies them (a
   * newer clock wins; at the same clock a removal wins), from the states already parsed, and the
   * room's `update` listener relays what changed. Returns how many entries were dropped for a cap.
   */
  applyAwareness(entries: readonly AwarenessEntry[], origin: RoomPeer): number {
    const { states, meta } = this.awareness
    let peerCount = origin.awarenessIds.size
    let overCap = 0
    const now = Date.now()
    const added: number[] = []
    const updated: number[] = []
    const removed: number[] = []
    for (const { clientId, clock, state, removal } of entries) {
      // The relay's own (empty) presence is not a client's to set.
      if (clientId === this.awareness.clientID) continue
      const present = states.has(clientId)
      if (!present) {
        if (removal) continue
        if (peerCount >= this.#options.maxAwarenessPerSocket || states.size >= this.#options.maxAwarenessPerRoom) {
          overCap++
          continue
        }
      }
      const known = meta.get(clientId)?.clock ?? 0
      if (!(known < clock || (known === clock && removal && present))) continue
      if (removal) {
        states.delete(clientId)
        removed.push(clientId)
      } else {
        states.set(clientId, state as Record<string, unknown>)
        if (present) updated.push(clientId)
        else {
          added.push(clientId)
          peerCount++
        }
      }
      meta.set(clientId, { clock, lastUpdated: now })
    }
    if (added.length + updated.length + removed.length > 0) {
      this.awareness.emit('update', [{ added, updated, removed }, origin])
    }
    return overCap
  }

  #onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = [...added, ...updated, ...removed]
    if (origin !== null && typeof origin === 'object' && this.peers.has(origin as RoomPeer)) {
      const peer = origin as RoomPeer
      for (const id of [...added, ...updated]) peer.awarenessIds.add(id)
    }
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed))
    const frame = encoding.toUint8Array(encoder)
    // Removed ids keep no record: the room remembers presence only while it is present.
    for (const id of removed) {
      this.awareness.meta.delete(id)
      for (const peer of this.peers) peer.awarenessIds.delete(id)
    }
    // Sent to the originating peer too: y-websocket counts its own renewed presence (every 15 s)
    // as proof that the connection is alive.
    for (const peer of this.peers) peer.send(frame)
  }

  /** The room's state vector as stored (everything integrated has been committed, SPEC [D1]). */
  savedStateVector(): Uint8Array {
    return this.stateVector()
  }

  /** Acknowledges committed updates to the peers that asked, once per burst. */
  #scheduleSaved(): void {
    if (this.#savedScheduled) return
    this.#savedScheduled = true
    setImmediate(() => {
      this.#savedScheduled = false
      if (this.#closed) return
      const stateVector = this.savedStateVector()
      for (const peer of this.peers) peer.sendSaved(stateVector)
    })
  }

  /** Removes a peer and the presence it announced. Returns true when the room is now empty. */
  removePeer(peer: RoomPeer): boolean {
    this.peers.delete(peer)
    if (peer.awarenessIds.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...peer.awarenessIds], null)
    }
    return this.peers.size === 0
  }

  /** Flushes (compacts a log longer than one row) and frees the room. */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.awareness.off('update', this.#onAwarenessUpdate)
    this.awareness.destroy()
    this.#doc.close()
  }
}
