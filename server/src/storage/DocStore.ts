/**
 * Where the relay keeps each room's document. The relay talks to storage only through this
 * interface; every implementation must pass tests/integration/docStore.test.ts.
 *
 * A room's stored form is a log of Yjs updates (in any order: Yjs updates commute). Compaction
 * replaces the whole log with one snapshot of the merged document.
 */
export interface StoredLog {
  /** Every stored update of the room, oldest first; empty for a room never written. */
  readonly updates: Uint8Array[]
  /** Total size of those updates in bytes. */
  readonly bytes: number
}

export interface DocStore {
  /** Reads a room's whole log. */
  load(room: string): StoredLog
  /** Appends one update to a room's log; it is on disk (crash-safe) when this returns. */
  append(room: string, update: Uint8Array): void
  /** Atomically replaces a room's whole log with one snapshot update. */
  replace(room: string, snapshot: Uint8Array): void
  /** Flushes and releases the store; no call may follow. */
  close(): void
}
