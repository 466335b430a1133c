import * as Y from 'yjs'
import type { DocStore } from '../storage/DocStore'
import { describeError, type Logger } from '../log'
import { integrationProblem, overlapProblem, shapeProblem } from './updateChecks'
import type { RelayObserver } from './RelayObserver'

/**
 * A room's Y.Doc kept equal to what storage holds (SPEC [Y2], [Y6], [Y7]).
 *
 * Yjs integrates an update's structs before it reads its delete set, and a transaction that throws
 * half-way still emits what it integrated; a hostile frame can leave a doc that no longer encodes.
 * So no client update changes the room unchecked. `apply` (the trial-apply):
 *
 * 1. decodes the whole update first (structs and delete set) without touching the doc, and refuses
 *    a shape Yjs mishandles (zero-length structs, clocks or client ids out of range);
 * 2. integrates it while holding back what the doc emits, so nothing is stored or relayed yet;
 * 3. if integration throws, or leaves more not-yet-integrable data (clock gaps) than the limits
 *    allow, or the doc would outgrow its limit, the doc is rebuilt from storage — which holds exactly
 *    what was integrated before — and the update is refused: the room is as it was;
 * 4. otherwise what was integrated is checked — it decodes, and each item sits where its own
 *    origins say (updateChecks.ts) — then stored, and only then returned to be relayed.
 *
 * Updates that cannot be integrated yet (their structs follow a clock gap, or their deletions name
 * structs not seen yet) stay pending inside the doc: counted against the room's size, capped per
 * room and per socket, and never stored, sent to clients or put in a snapshot as if integrated. A
 * snapshot replaces the log only after it has been loaded back into a fresh doc and found equal.
 */

/** Why `apply` refused an update (the doc is unchanged). */
export type RefusalReason = 'malformed' | 'doc_too_large' | 'pending_too_large' | 'storage_failed'

export class UpdateRefused extends Error {
  override readonly name = 'UpdateRefused'
  readonly reason: RefusalReason
  constructor(reason: RefusalReason, message: string) {
    super(message)
    this.reason = reason
  }
}

/** The room cannot go on (storage fails even to reload it); every socket in it is closed. */
export class RoomUnavailable extends Error {
  override readonly name = 'RoomUnavailable'
}

export interface RoomDocLimits {
  readonly compactAfterUpdates: number
  readonly compactAfterBytes: number
  /** Stored size plus pending bytes a room may hold (SPEC [L5]). */
  readonly maxDocBytes: number
  /** Pending (not yet integrable) bytes a room holds at most (SPEC [Y7]). */
  readonly maxPendingBytes: number
  /** Pending bytes one socket may have added while the room's pending state was not cleared. */
  readonly maxPendingBytesPerSocket: number
}

/** What one sender has added to the room's pending state (kept on the sender, read by the room). */
export interface PendingAccount {
  pendingBytes: number
  pendingEpoch: number
}

type PendingState = Pick<Y.Doc['store'], 'pendingStructs' | 'pendingDs'>

type Decoded = ReturnType<typeof Y.decodeUpdate>

/** What a trial integrated, and how it changed the pending state. */
interface Trial {
  readonly integrated: Uint8Array | null
  readonly pendingBefore: number
  readonly pendingAfter: number
  readonly added: number
  readonly senderPending: number
}

/** The refusal for an update that threw while it was integrated or checked. */
const refusal = (error: unknown): UpdateRefused =>
  new UpdateRefused('malformed', `update does not apply (${describeError(error)})`)

/** An empty update (a client's SyncStep2 when it has nothing new): no structs, no deletions. */
const isEmptyUpdate = (update: Uint8Array): boolean => update.byteLength === 2 && update[0] === 0 && update[1] === 0

const decodes = (update: Uint8Array): boolean => decoded(update) !== null

/** The update's structs, or null when it does not decode whole (structs and delete set). */
const decoded = (update: Uint8Array): Decoded | null => {
  try {
    return Y.decodeUpdate(update)
  } catch {
    return null
  }
}

const pendingBytesOf = (doc: Y.Doc): number =>
  (doc.store.pendingStructs?.update.byteLength ?? 0) + (doc.store.pendingDs?.byteLength ?? 0)

/** Copies the pending state, so that a rebuilt doc can take it back. */
const savePending = (doc: Y.Doc): PendingState => ({
  pendingStructs:
    doc.store.pendingStructs === null
      ? null
      : { missing: new Map(doc.store.pendingStructs.missing), update: doc.store.pendingStructs.update },
  pendingDs: doc.store.pendingDs,
})

/** Runs `encode` on the doc as integrated: pending structs and deletions are left out. */
const withoutPending = <T>(doc: Y.Doc, encode: () => T): T => {
  const { pendingStructs, pendingDs } = doc.store
  doc.store.pendingStructs = null
  doc.store.pendingDs = null
  try {
    return encode()
  } finally {
    doc.store.pendingStructs = pendingStructs
    doc.store.pendingDs = pendingDs
  }
}

/**
 * Merges each client's adjacent collected runs (GC structs) into one, as Yjs does when it loads
 * them. Yjs leaves some unmerged in a live doc: deleting a type collects all its children, the
 * overwritten values of its map keys among them, but queues only the current ones for merging. Such
 * a doc encodes one GC struct per run, and the same doc loaded back encodes them as one: a snapshot
 * taken from it would not re-encode to the same bytes. GC structs hold only an id range and no
 * list links to them, so merging them changes nothing but how the doc encodes.
 */
const mergeCollectedRuns = (doc: Y.Doc): void => {
  for (const structs of doc.store.clients.values()) {
    let kept = 0
    for (const struct of structs) {
      const last = kept > 0 ? structs[kept - 1] : undefined
      if (last instanceof Y.GC && struct instanceof Y.GC && last.id.clock + last.length === struct.id.clock) last.length += struct.length
      else structs[kept++] = struct
    }
    structs.length = kept
  }
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.byteLength === b.byteLength && a.every((byte, i) => byte === b[i])

/**
 * Whether `snapshot` loads whole into a fresh doc and re-encodes to the same bytes: what a later
 * load of it will give. Returns the reason when it does not.
 */
export const roundTripProblem = (snapshot: Uint8Array): string | null => {
  const check = new Y.Doc({ gc: true })
  try {
    Y.applyUpdate(check, snapshot)
    if (check.store.pendingStructs !== null || check.store.pendingDs !== null) return 'it leaves pending structs'
    if (!sameBytes(Y.encodeStateAsUpdate(check), snapshot)) return 'it re-encodes differently'
    return null
  } catch (error) {
    return `it does not load (${describeError(error)})`
  } finally {
    check.destroy()
  }
}

/** A stored snapshot with its state vector, when it decodes whole; null otherwise. */
const readableSnapshot = (snapshot: Uint8Array): { snapshot: Uint8Array; stateVector: Uint8Array } | null => {
  try {
    Y.decodeUpdate(snapshot)
    return { snapshot, stateVector: Y.encodeStateVectorFromUpdate(snapshot) }
  } catch {
    return null
  }
}

const isEmptyStateVector = (stateVector: Uint8Array): boolean => stateVector.byteLength === 1 && stateVector[0] === 0

/** How long after its first answer a cold room applies its stored snapshot to its Y.Doc. */
const TAKE_IN_AFTER_MS = 250

export class RoomDoc {
  readonly name: string
  #doc: Y.Doc
  #logUpdates = 0
  #logBytes = 0
  /**
   * Bytes of the row the log starts from (the snapshot, once compacted; on load, the first row).
   * Not counted against compactAfterBytes: otherwise a document larger than the threshold would be
   * re-compacted on every update.
   */
  #snapshotBytes = 0
  /** The stored snapshot not yet applied to the doc, and its state vector; null once it is. */
  #unapplied: { readonly snapshot: Uint8Array; readonly stateVector: Uint8Array } | null = null
  #applyTimer: NodeJS.Timeout | null = null
  /** While `apply` integrates: what the doc emitted, held back until the update is accepted. */
  #heldBack: Uint8Array[] | null = null
  /** Bumped whenever the pending state empties; accounts from an older epoch count as zero. */
  #pendingEpoch = 0
  #compactScheduled = false
  /** Set after a snapshot failed its round trip: the log is kept as it is until the room reloads. */
  #compactionRefused = false
  #closed = false
  /** Set when storage failed even to reload the room: every later call throws RoomUnavailable. */
  #unavailable: RoomUnavailable | null = null
  readonly #store: DocStore
  readonly #limits: RoomDocLimits
  readonly #observer: RelayObserver
  readonly #log: Logger

  constructor(name: string, store: DocStore, limits: RoomDocLimits, observer: RelayObserver, log: Logger) {
    this.name = name
    this.#store = store
    this.#limits = limits
    this.#observer = observer
    this.#log = log
    this.#doc = this.#load()
    if (this.#needsCompaction()) this.#scheduleCompaction()
  }

  /** Builds the doc from storage (every row that decodes and applies; see `#buildDoc`). */
  #load(): Y.Doc {
    const stored = this.#store.load(this.name)
    this.#logUpdates = stored.updates.length
    this.#logBytes = stored.bytes
    this.#snapshotBytes = stored.updates[0]?.byteLength ?? 0
    this.#unapplied = stored.updates.length === 1 ? readableSnapshot(stored.updates[0] as Uint8Array) : null
    const doc = this.#unapplied === null ? this.#buildDoc(stored.updates) : new Y.Doc({ gc: true })
    doc.on('update', this.#onDocUpdate)
    return doc
  }

  /**
   * A fresh doc holding the stored rows. A row that does not decode, or throws while it applies,
   * is left out and logged, never fatal: the doc is built again without it, and clients re-send
   * what they have. (Rows this relay writes were checked before they were stored; this guards
   * rows from older versions.)
   */
  #buildDoc(rows: readonly Uint8Array[]): Y.Doc {
    const skip = new Set<number>()
    rows.forEach((row, i) => {
      if (!decodes(row)) skip.add(i)
    })
    for (;;) {
      // gc stays on: proposal revisions are pinned by content, not by Yjs snapshots (ARCHITECTURE.md).
      const doc = new Y.Doc({ gc: true })
      const failed = rows.findIndex((row, i) => {
        if (skip.has(i)) return false
        try {
          Y.applyUpdate(doc, row)
          return false
        } catch {
          return true
        }
      })
      if (failed === -1) {
        for (const row of skip) this.#log.error('stored update does not decode', { room: this.name, row })
        return doc
      }
      skip.add(failed)
      try {
        doc.destroy()
      } catch {
        // A doc whose transaction threw may not destroy cleanly; nothing refers to it.
      }
    }
  }

  #onDocUpdate = (update: Uint8Array): void => {
    if (this.#heldBack !== null) this.#heldBack.push(update)
    else this.#log.error('room doc changed outside apply', { room: this.name, bytes: update.byteLength })
  }

  /** Applies the stored snapshot to the doc if it has not been yet (the doc is still empty then). */
  #takeInSnapshot(): void {
    if (this.#applyTimer !== null) clearTimeout(this.#applyTimer)
    this.#applyTimer = null
    const unapplied = this.#unapplied
    if (unapplied === null) return
    this.#unapplied = null
    const empty = this.#doc
    empty.off('update', this.#onDocUpdate)
    empty.destroy()
    this.#doc = this.#buildDoc([unapplied.snapshot])
    this.#doc.on('update', this.#onDocUpdate)
  }

  /** Takes the snapshot in shortly, so the first edit does not wait for it. */
  #scheduleTakeIn(): void {
    if (this.#unapplied === null || this.#applyTimer !== null || this.#closed) return
    this.#applyTimer = setTimeout(() => this.#takeInSnapshot(), TAKE_IN_AFTER_MS)
  }

  /** Replaces the doc with one rebuilt from storage, carrying `pending` over. */
  #rebuild(pending: PendingState): void {
    const old = this.#doc
    old.off('update', this.#onDocUpdate)
    let doc: Y.Doc
    try {
      doc = this.#load()
    } catch (error) {
      this.#unavailable = new RoomUnavailable(`cannot reload the room from storage: ${describeError(error)}`)
      this.#log.error('room unavailable', { room: this.name, error: describeError(error) })
      throw this.#unavailable
    } finally {
      // A doc whose transaction threw may be left mid-transaction; it is dropped, not reused.
      try {
        old.destroy()
      } catch {
        // Destroying a broken doc may throw too; nothing refers to it any more.
      }
    }
    this.#doc = doc
    this.#takeInSnapshot()
    this.#doc.store.pendingStructs = pending.pendingStructs
    this.#doc.store.pendingDs = pending.pendingDs
    this.#observer.roomRebuilt()
  }

  /** The room's state vector (SyncStep1). */
  stateVector(): Uint8Array {
    return this.#unapplied?.stateVector ?? Y.encodeStateVector(this.#doc)
  }

  /** What a peer whose state vector is `stateVector` is missing (SyncStep2); pending data is not sent. */
  missingFrom(stateVector: Uint8Array): Uint8Array {
    if (this.#unavailable !== null) throw this.#unavailable
    const unapplied = this.#unapplied
    if (unapplied !== null) {
      this.#scheduleTakeIn()
      return isEmptyStateVector(stateVector) ? unapplied.snapshot : Y.diffUpdate(unapplied.snapshot, stateVector)
    }
    try {
      return withoutPending(this.#doc, () => Y.encodeStateAsUpdate(this.#doc, stateVector))
    } catch (error) {
      // The doc itself no longer encodes: rebuild it from storage once and answer from that.
      this.#log.error('room doc does not encode; rebuilding it from storage', {
        room: this.name,
        error: describeError(error),
      })
      this.#rebuild(savePending(this.#doc))
      return withoutPending(this.#doc, () => Y.encodeStateAsUpdate(this.#doc, stateVector))
    }
  }

  get logSize(): { updates: number; bytes: number } {
    return { updates: this.#logUpdates, bytes: this.#logBytes }
  }

  /** Bytes of updates held pending (not yet integrable); never stored. */
  get pendingBytes(): number {
    return pendingBytesOf(this.#doc)
  }

  /**
   * Trial-applies `update` from a sender (see the file's comment). Returns what was integrated and
   * stored, to relay to the other peers, or null when nothing new was integrated. Throws
   * UpdateRefused (the doc unchanged) or RoomUnavailable.
   */
  apply(update: Uint8Array, sender: PendingAccount): Uint8Array | null {
    if (this.#unavailable !== null) throw this.#unavailable
    if (isEmptyUpdate(update)) return null
    const incoming = decoded(update)
    if (incoming === null) throw new UpdateRefused('malformed', 'update does not decode')
    const shape = shapeProblem(incoming)
    if (shape !== null) throw new UpdateRefused('malformed', `update refused: ${shape}`)
    if (this.#logBytes + pendingBytesOf(this.#doc) + update.byteLength > this.#limits.maxDocBytes) {
      throw new UpdateRefused('doc_too_large', 'document too large')
    }
    this.#takeInSnapshot()
    const overlap = overlapProblem(this.#doc, incoming.structs)
    if (overlap !== null) throw new UpdateRefused('malformed', `update refused: ${overlap}`)
    const before = savePending(this.#doc)
    let trial: Trial
    try {
      trial = this.#trial(update, incoming, sender)
    } catch (error) {
      this.#heldBack = null
      this.#rebuild(before)
      throw error instanceof UpdateRefused ? error : refusal(error)
    }
    const { integrated, pendingBefore, pendingAfter, added, senderPending } = trial
    if (integrated !== null) {
      const started = performance.now()
      try {
        this.#store.append(this.name, integrated)
      } catch (error) {
        this.#log.error('cannot store update', { room: this.name, error: describeError(error) })
        this.#rebuild(before)
        throw new UpdateRefused('storage_failed', 'the relay could not store the update')
      }
      this.#observer.persisted((performance.now() - started) / 1000)
      this.#logUpdates++
      this.#logBytes += integrated.byteLength
      if (this.#needsCompaction()) this.#scheduleCompaction()
    }
    if (pendingAfter === 0) {
      if (pendingBefore > 0) this.#pendingEpoch++
    } else if (added > 0) {
      sender.pendingBytes = senderPending + added
      sender.pendingEpoch = this.#pendingEpoch
    }
    return integrated
  }

  /**
   * Integrates the update with what the doc emits held back, and checks the result. Throws
   * (anything) when the update must be refused; the caller then rebuilds the doc.
   */
  #trial(update: Uint8Array, incoming: Decoded, sender: PendingAccount): Trial {
    const pendingBefore = pendingBytesOf(this.#doc)
    // Structs that start below their client's clock are integrated from that clock on, with a new
    // left origin: what integrated is then not the update's own structs.
    const store = this.#doc.store
    const overlaps = incoming.structs.some((struct) => !(struct instanceof Y.Skip) && struct.id.clock < Y.getState(store, struct.id.client))
    const heldBack: Uint8Array[] = []
    this.#heldBack = heldBack
    Y.applyUpdate(this.#doc, update)
    this.#heldBack = null
    const pendingAfter = pendingBytesOf(this.#doc)
    const added = Math.max(0, pendingAfter - pendingBefore)
    const senderPending = sender.pendingEpoch === this.#pendingEpoch ? sender.pendingBytes : 0
    if (added > 0 && (pendingAfter > this.#limits.maxPendingBytes || senderPending + added > this.#limits.maxPendingBytesPerSocket)) {
      throw new UpdateRefused('pending_too_large', 'too many updates that cannot be applied yet')
    }
    const integrated = heldBack.length === 0 ? null : heldBack.length === 1 ? (heldBack[0] as Uint8Array) : Y.mergeUpdates(heldBack)
    if (integrated !== null) {
      if (this.#logBytes + integrated.byteLength + pendingAfter > this.#limits.maxDocBytes) {
        throw new UpdateRefused('doc_too_large', 'document too large')
      }
      // What integrated is the update's own structs, unless held structs came along (a gap was
      // filled) or some were cut to the doc's clock: then what the doc emitted is read back and
      // checked, which also proves it decodes.
      const integratedStructs = pendingAfter < pendingBefore || overlaps ? decoded(integrated)?.structs : incoming.structs
      const problem =
        integratedStructs === undefined ? 'what it integrated does not decode' : integrationProblem(this.#doc, integratedStructs)
      if (problem !== null) throw new UpdateRefused('malformed', `update refused: ${problem}`)
    }
    return { integrated, pendingBefore, pendingAfter, added, senderPending }
  }

  #needsCompaction(): boolean {
    return (
      !this.#compactionRefused &&
      this.#logUpdates > 1 &&
      (this.#logUpdates >= this.#limits.compactAfterUpdates ||
        this.#logBytes - this.#snapshotBytes >= this.#limits.compactAfterBytes)
    )
  }

  #scheduleCompaction(): void {
    if (this.#compactScheduled) return
    this.#compactScheduled = true
    setImmediate(() => {
      this.#compactScheduled = false
      if (this.#closed || !this.#needsCompaction()) return
      try {
        this.compact()
      } catch (error) {
        this.#log.error('room compaction failed', { room: this.name, error: describeError(error) })
      }
    })
  }

  /**
   * Replaces the stored log with one snapshot of the document as integrated, once the snapshot has
   * loaded back whole (SPEC [Y6]). A snapshot that does not is never stored: the log stays, the
   * failure is logged, and the doc is rebuilt from that log.
   */
  compact(): void {
    this.#takeInSnapshot()
    const started = performance.now()
    mergeCollectedRuns(this.#doc)
    const snapshot = withoutPending(this.#doc, () => Y.encodeStateAsUpdate(this.#doc))
    const problem = roundTripProblem(snapshot)
    if (problem !== null) {
      this.#compactionRefused = true
      this.#log.error('snapshot not stored: it does not load back whole', { room: this.name, problem })
      this.#rebuild(savePending(this.#doc))
      return
    }
    const before = this.#logUpdates
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

  /** Flushes (compacts a log longer than one row) and frees the doc. */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    if (this.#applyTimer !== null) clearTimeout(this.#applyTimer)
    if (this.#unavailable !== null) return
    try {
      if (this.#logUpdates > 1 && !this.#compactionRefused) this.compact()
    } finally {
      this.#doc.off('update', this.#onDocUpdate)
      this.#doc.destroy()
    }
  }
}
