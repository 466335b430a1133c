/**
 * Where the relay keeps each room's document. The relay talks to storage only through this
 * interface; every implementation must pass tests/integration/docStore.test.ts.
 *
 * A room's stored form is a log of Yjs updates (in any order: Yjs updates commute). Compaction
 * replaces the whole log with one snapshot of the merged document.
 *
 * Stored bytes are checked when they are read (SPEC [D5]): a row whose bytes are no longer the
 * bytes that were written is never returned as if it were whole. It is left out of the log and
 * listed in `damaged`; when the room's snapshot itself is damaged, `load` throws a
 * DamagedRoomError instead, because the rest of the log would be a small part of the room served
 * as if it were all of it.
 */

/** A row's role in its room's log: the snapshot a compaction wrote, or an update appended after it. */
export type RowKind = 'snapshot' | 'update'

/** A stored row that failed its check, left out of the log it belongs to. */
export interface DamagedRow {
  /** The row's id in the store (stable until the next `replace` of its room). */
  readonly rowId: number
  readonly kind: RowKind
  /** Why it failed, in a few words ("checksum mismatch (stored …, computed …)"). */
  readonly reason: string
}

export interface StoredLog {
  /** Every stored update of the room that passed its check, oldest first; empty for a room never written. */
  readonly updates: Uint8Array[]
  /** Total size of those updates in bytes. */
  readonly bytes: number
  /** Rows of the room that failed their check and are not in `updates`; empty when none did. */
  readonly damaged: readonly DamagedRow[]
}

/** Thrown by `load` when a room's snapshot is damaged: the room cannot be served whole (SPEC [D5]). */
export class DamagedRoomError extends Error {
  override readonly name = 'DamagedRoomError'
  readonly room: string
  /** Every damaged row of the room, the snapshot among them. */
  readonly damaged: readonly DamagedRow[]

  constructor(room: string, damaged: readonly DamagedRow[]) {
    const snapshot = damaged.find((row) => row.kind === 'snapshot') ?? damaged[0]
    const what = snapshot === undefined ? 'its stored data' : `its snapshot (row ${snapshot.rowId}: ${snapshot.reason})`
    super(
      `room ${room} is not served: ${what} is damaged` +
        (damaged.length > 1 ? ` and ${damaged.length - 1} more of its rows` : '') +
        '; restore the room from a backup (docs/self-hosting.md)',
    )
    this.room = room
    this.damaged = damaged
  }
}

export interface DocStore {
  /** Reads and checks a room's whole log; throws DamagedRoomError when its snapshot is damaged. */
  load(room: string): StoredLog
  /** Appends one update to a room's log; it is on disk (crash-safe) when this returns. */
  append(room: string, update: Uint8Array): void
  /** Atomically replaces a room's whole log with one snapshot; damaged rows are kept aside, not dropped. */
  replace(room: string, snapshot: Uint8Array): void
  /** Flushes and releases the store; no call may follow. */
  close(): void
}
