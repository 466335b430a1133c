import * as awarenessProtocol from 'y-protocols/awareness'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { MESSAGE_AWARENESS, MESSAGE_SYNC, SYNC_UPDATE } from '../../../shared/src'
import type { DocStore } from '../storage/DocStore'
import type { Logger } from '../log'
import type { RelayObserver } from './RelayObserver'
import { describeError } from '../log'

/** How long after its first answer a cold room applies its stored snapshot to its Y.Doc. */
const TAKE_IN_AFTER_MS = 250

/** A state vector with no clients: the peer has nothing yet. */
const isEmptyStateVector = (stateVector: Uint8Array): boolean => stateVector.byteLength === 1 && stateVector[0] === 0

/**
 * A stored snapshot with its state vector, when it decodes whole (structs and delete set); null
 * otherwise, and the room then loads by applying it, which logs and skips what does not decode.
 */
const readableSnapshot = (snapshot: Uint8Array): { snapshot: Uint8Array; stateVector: Uint8Array } | null => {
  try {
    Y.decodeUpdate(snapshot)
    return { snapshot, stateVector: Y.encodeStateVectorFromUpdate(snapshot) }
  } catch {
    return null
  }
}

/** What a room needs from a connected socket. */
export interface RoomPeer {
  /** Awareness client ids this peer has announced (removed when it leaves). */
  readonly awarenessIds: Set<number>
  send(frame: Uint8Array): void
  /** Called after updates are committed, with the stored state vector (SPEC [D2]). */
  sendSaved(stateVector: Uint8Array): void
}

export interface RoomOptions {
  readonly compactAfterUpdates: number
  readonly compactAfterBytes: number
}

/**
 * One live document: its Y.Doc loaded from storage, its awareness, and the sockets in it.
 *
 * Every update the doc integrates, whichever peer sent it, is appended to storage before it is
 * broadcast (so anything another client saw is on disk), then sent to every other peer. The log
 * is compacted into one snapshot past a count or byte threshold and when the room unloads.
 *
 * A room stored as one snapshot (every room that was unloaded) is not applied to its Y.Doc at
 * once: its state vector and what a client is missing are read from the snapshot's bytes, so the
 * first clients of a cold room are answered without waiting for the whole history to integrate.
 * The doc takes the snapshot in before anything else touches it (an update, a compaction), or a
 * moment after the first answer.
 */
export class Room {
  readonly name: string
  readonly doc: Y.Doc
  readonly awareness: awarenessProtocol.Awareness
  readonly peers = new Set<RoomPeer>()
  #logUpdates: number
  #logBytes: number
  /**
   * Bytes of the row the log starts from (the snapshot, once compacted; on load, the first row).
   * Not counted against compactAfterBytes: otherwise a document larger than the threshold would be
   * re-compacted on every update.
   */
  #snapshotBytes: number
  #compactScheduled = false
  #savedScheduled = false
  /** Set when storage failed: from then on nothing more is acknowledged as saved. */
  #storageFailed = false
  #closed = false
  /** The stored snapshot not yet applied to `doc` (see above) and its state vector, or null once it is. */
  #unapplied: { readonly snapshot: Uint8Array; readonly stateVector: Uint8Array } | null = null
  #applyTimer: NodeJS.Timeout | null = null
  readonly #store: DocStore
  readonly #options: RoomOptions
  readonly #observer: RelayObserver
  readonly #log: Logger

  constructor(name: string, store: DocStore, options: RoomOptions, observer: RelayObserver, log: Logger) {
    this.name = name
    this.#store = store
    this.#options = options
    this.#observer = observer
    this.#log = log
    // gc stays on: proposal revisions are pinned by content, not by Yjs snapshots (ARCHITECTURE.md).
    this.doc = new Y.Doc({ gc: true })
    const stored = store.load(name)
    this.#logUpdates = stored.updates.length
    this.#logBytes = stored.bytes
    this.#snapshotBytes = stored.updates[0]?.byteLength ?? 0
    this.#unapplied = stored.updates.length === 1 ? readableSnapshot(stored.updates[0] as Uint8Array) : null
    if (this.#unapplied === null) this.#applyStored(stored.updates)
    this.doc.on('update', this.#onDocUpdate)
    this.awareness = new awarenessProtocol.Awareness(this.doc)
    this.awareness.setLocalState(null)
    this.awareness.on('update', this.#onAwarenessUpdate)
    if (this.#needsCompaction()) this.#scheduleCompaction()
  }

  #applyStored(updates: readonly Uint8Array[]): void {
    this.doc.transact(() => {
      for (const update of updates) {
        try {
          Y.applyUpdate(this.doc, update)
        } catch (error) {
          // A stored row that does not decode is skipped, not fatal: the rest of the room loads
          // and clients re-send what they have. The row stays until the next compaction.
          this.#log.error('stored update does not decode', { room: this.name, error: describeError(error) })
        }
      }
    })
  }

  /** Applies the stored snapshot to the doc if it has not been yet. Nothing is written back. */
  #takeInSnapshot(): void {
    if (this.#applyTimer !== null) clearTimeout(this.#applyTimer)
    this.#applyTimer = null
    const unapplied = this.#unapplied
    if (unapplied === null) return
    this.#unapplied = null
    // The doc's update handler would store and broadcast the snapshot as if a peer had sent it.
    this.doc.off('update', this.#onDocUpdate)
    try {
      this.#applyStored([unapplied.snapshot])
    } finally {
      this.doc.on('update', this.#onDocUpdate)
    }
  }

  /** Takes the snapshot in shortly, so the first edit does not wait for it. */
  #scheduleTakeIn(): void {
    if (this.#unapplied === null || this.#applyTimer !== null || this.#closed) return
    this.#applyTimer = setTimeout(() => this.#takeInSnapshot(), TAKE_IN_AFTER_MS)
  }

  /** The room's state vector (SyncStep1). */
  stateVector(): Uint8Array {
    return this.#unapplied?.stateVector ?? Y.encodeStateVector(this.doc)
  }

  /** What a peer whose state vector is `stateVector` is missing (SyncStep2). */
  missingFrom(stateVector: Uint8Array): Uint8Array {
    const unapplied = this.#unapplied
    if (unapplied !== null) {
      this.#scheduleTakeIn()
      return isEmptyStateVector(stateVector) ? unapplied.snapshot : Y.diffUpdate(unapplied.snapshot, stateVector)
    }
    return Y.encodeStateAsUpdate(this.doc, stateVector)
  }

  /** Integrates an update from `origin` (stored, then sent to the other peers by the update handler). */
  apply(update: Uint8Array, origin: RoomPeer): void {
    // An empty update (a client's SyncStep2 when it has nothing new) changes nothing.
    if (update.byteLength === 2 && update[0] === 0 && update[1] === 0) return
    this.#takeInSnapshot()
    Y.applyUpdate(this.doc, update, origin)
  }

  get logSize(): { updates: number; bytes: number } {
    return { updates: this.#logUpdates, bytes: this.#logBytes }
  }

  #onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    const started = performance.now()
    try {
      this.#store.append(this.name, update)
    } catch (error) {
      this.#storageFailed = true
      this.#log.error('cannot store update', { room: this.name, error: describeError(error) })
      throw error
    }
    this.#observer.persisted((performance.now() - started) / 1000)
    this.#scheduleSaved()
    this.#logUpdates++
    this.#logBytes += update.byteLength
    if (this.#needsCompaction()) this.#scheduleCompaction()
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_SYNC)
    encoding.writeVarUint(encoder, SYNC_UPDATE)
    encoding.writeVarUint8Array(encoder, update)
    const frame = encoding.toUint8Array(encoder)
    for (const peer of this.peers) if (peer !== origin) peer.send(frame)
  }

  #onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = [...added, ...updated, ...removed]
    if (origin !== null && typeof origin === 'object' && this.peers.has(origin as RoomPeer)) {
      const peer = origin as RoomPeer
      for (const id of [...added, ...updated]) peer.awarenessIds.add(id)
      for (const id of removed) peer.awarenessIds.delete(id)
    }
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed))
    const frame = encoding.toUint8Array(encoder)
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
      if (this.#closed || this.#storageFailed) return
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

  #needsCompaction(): boolean {
    return (
      this.#logUpdates > 1 &&
      (this.#logUpdates >= this.#options.compactAfterUpdates ||
        this.#logBytes - this.#snapshotBytes >= this.#options.compactAfterBytes)
    )
  }

  #scheduleCompaction(): void {
    if (this.#compactScheduled) return
    this.#compactScheduled = true
    setImmediate(() => {
      this.#compactScheduled = false
      if (!this.#closed && this.#needsCompaction()) this.compact()
    })
  }

  /** Replaces the stored log with one snapshot of the document as it is in memory. */
  compact(): void {
    this.#takeInSnapshot()
    const snapshot = Y.encodeStateAsUpdate(this.doc)
    const before = this.#logUpdates
    const started = performance.now()
    this.#store.replace(this.name, snapshot)
    this.#observer.persisted((performance.now() - started) / 1000)
    this.#observer.compacted()
    this.#logUpdates = 1
    this.#logBytes = snapshot.byteLength
    this.#snapshotBytes = snapshot.byteLength
    this.#log.debug('room compacted', {
      room: this.name,
      updates: before,
      snapshotBytes: snapshot.byteLength,
      ms: Math.round(performance.now() - started),
    })
  }

  /** Flushes (compacts a log longer than one row) and frees the room. */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    if (this.#applyTimer !== null) clearTimeout(this.#applyTimer)
    if (this.#logUpdates > 1) this.compact()
    this.doc.off('update', this.#onDocUpdate)
    this.awareness.off('update', this.#onAwarenessUpdate)
    this.awareness.destroy()
    this.doc.destroy()
  }
}
