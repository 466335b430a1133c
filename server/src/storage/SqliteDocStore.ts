import Database from 'better-sqlite3'
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from '../log'
import { DamagedRoomError, type DamagedRow, type DocStore, type StoredLog } from './DocStore'
import { bytesOf, rowChecksum, rowDamage, rowKind } from './rowIntegrity'
import { WalCheckpointer } from './WalCheckpointer'

/** The file under DATA_DIR that holds every room. */
export const SQLITE_FILE = 'peerboard.sqlite'

/** The write-ahead log SQLite keeps next to the database while it is open in WAL mode. */
export const walFileOf = (databaseFile: string): string => `${databaseFile}-wal`

/**
 * Schema changes, in order; each runs once, in a transaction with its row in `migrations`. They
 * only add (STYLE: the schema only grows): a database written by an older relay keeps its rows,
 * which have no checksum and no kind ("legacy" rows, checked by decoding; SPEC [D5]).
 */
const MIGRATIONS: readonly { readonly id: number; readonly name: string; readonly sql: string }[] = [
  {
    id: 1,
    name: 'updates: checksum and kind of each row',
    sql: `
      ALTER TABLE updates ADD COLUMN checksum INTEGER;
      ALTER TABLE updates ADD COLUMN kind TEXT CHECK (kind IN ('snapshot', 'update'));
    `,
  },
  {
    id: 2,
    name: 'quarantine: damaged rows kept for the operator',
    sql: `
      CREATE TABLE quarantine (
        id INTEGER PRIMARY KEY,
        room TEXT NOT NULL,
        row_id INTEGER NOT NULL,
        kind TEXT NOT NULL,
        checksum INTEGER,
        data BLOB NOT NULL,
        reason TEXT NOT NULL,
        moved_at TEXT NOT NULL
      );
    `,
  },
  {
    id: 3,
    name: 'relay_state: whether a relay has the database open',
    sql: `CREATE TABLE relay_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  },
]

/** relay_state key: a relay has the database open (written and checkpointed at start, removed by close). */
export const RUNNING_KEY = 'running'
/** relay_state key written after the start checkpoint, so a running relay's WAL is never empty. */
const WAL_KEY = 'wal'

/** SQLite's default: a commit that finds the WAL this long (in pages) checkpoints it on the spot. */
const CHECKPOINT_ON_COMMIT_PAGES = 1000
/**
 * While the checkpoint worker runs: the WAL length (pages of 4 KiB, so 40 MB) past which a commit
 * checkpoints anyway. The worker's PASSIVE checkpoints cannot start the WAL over while writes never
 * pause; this one can, and by then the worker has copied nearly everything.
 */
const WAL_CAP_PAGES = 10_000

/** Found at start: the previous relay did not stop cleanly and its WAL is gone (SPEC [D6]). */
export interface LostWal {
  /** When the relay that did not stop cleanly had started (ISO 8601). */
  readonly since: string
  /** One line for the log and /healthz. */
  readonly message: string
}

/**
 * Whether the relay that last had this database open stopped without closing it (`running` is
 * the RUNNING_KEY row, if any) while its WAL is missing or empty. A running relay's WAL always
 * holds a row (WAL_KEY), and a killed relay leaves it behind; SQLite deletes it only on a clean
 * close, after the running row is removed.
 */
export const lostWalOf = (running: string | undefined, walBytes: number | null): LostWal | null => {
  if (running === undefined || (walBytes !== null && walBytes > 0)) return null
  let since = 'an unknown time'
  try {
    const parsed = JSON.parse(running) as { startedAt?: unknown }
    if (typeof parsed.startedAt === 'string') since = parsed.startedAt
  } catch {
    // A value we cannot read still says a relay was running.
  }
  return {
    since,
    message:
      `the relay started at ${since} did not stop cleanly and its write-ahead log (${SQLITE_FILE}-wal) is ` +
      `${walBytes === null ? 'missing' : 'empty'}: updates acknowledged since then may be lost ` +
      '(members’ devices send what they still hold when they next sync)',
  }
}

const walBytesOf = (databaseFile: string): number | null => {
  const wal = walFileOf(databaseFile)
  return existsSync(wal) ? statSync(wal).size : null
}

interface RowHead {
  readonly id: number
  readonly kind: string | null
  readonly checksum: number | null
}

/**
 * DocStore on one SQLite file in WAL mode. Each append is its own transaction: with WAL and
 * `synchronous = NORMAL` a committed append survives the relay process being killed (not a power
 * cut before the next checkpoint; see docs/ARCHITECTURE.md). Checkpoints run on a worker thread
 * (WalCheckpointer), off the event loop.
 *
 * Every row carries a checksum and a kind (rowIntegrity.ts). `load` checks every row of the room
 * and leaves damaged ones out (SPEC [D5]); `replace` moves the room's damaged rows to the
 * `quarantine` table instead of deleting them.
 */
export class SqliteDocStore implements DocStore {
  /** Set when the previous relay did not stop cleanly and its WAL is gone (SPEC [D6]); null otherwise. */
  readonly lostWal: LostWal | null
  readonly #db: Database.Database
  readonly #select: Database.Statement<[string], RowHead & { data: Buffer }>
  readonly #selectHeads: Database.Statement<[string], RowHead>
  readonly #selectData: Database.Statement<[number], { data: Buffer }>
  readonly #insert: Database.Statement<[string, string, number, Uint8Array]>
  readonly #quarantine: Database.Statement<[string, string, string, number]>
  readonly #deleteRoom: Database.Statement<[string]>
  readonly #replace: (room: string, snapshot: Uint8Array) => void
  readonly #checkpoints: WalCheckpointer

  /** `log` hears of a checkpoint worker that failed (the store goes on, checkpointing on commit). */
  constructor(dataDir: string, log?: Logger) {
    mkdirSync(dataDir, { recursive: true })
    const file = join(dataDir, SQLITE_FILE)
    // Before SQLite opens (and recovers) it: is there a WAL left by the previous relay?
    const walBytes = walBytesOf(file)
    this.#db = new Database(file)
    // SPEC [D3]: refuse to run on a damaged database rather than serve (and extend) it.
    let check: unknown
    try {
      check = this.#db.pragma('quick_check', { simple: true })
    } catch (error) {
      // Some damage makes the check itself fail (SQLITE_CORRUPT, "file is not a database").
      check = error instanceof Error ? error.message : String(error)
    }
    if (check !== 'ok') {
      this.#db.close()
      // quick_check reports one problem per line; the error must stay on one line.
      const problems = String(check)
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '' && !line.startsWith('***'))
      const summary =
        problems.slice(0, 3).join('; ') + (problems.length > 3 ? `; and ${problems.length - 3} more problems` : '')
      throw new Error(`database check failed (${summary}); restore a backup (docs/self-hosting.md)`)
    }
    this.#db.pragma('journal_mode = WAL')
    this.#db.pragma('synchronous = NORMAL')
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS updates (
        id INTEGER PRIMARY KEY,
        room TEXT NOT NULL,
        data BLOB NOT NULL
      );
      CREATE INDEX IF NOT EXISTS updates_by_room ON updates (room, id);
      CREATE TABLE IF NOT EXISTS migrations (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at TEXT NOT NULL
      );
    `)
    this.#migrate()

    const running = this.#db.prepare('SELECT value FROM relay_state WHERE key = ?').get(RUNNING_KEY) as
      | { value: string }
      | undefined
    this.lostWal = lostWalOf(running?.value, walBytes)
    // SPEC [D6]: say in the main file that a relay has it open, then put a row in the WAL.
    const setState = this.#db.prepare('INSERT OR REPLACE INTO relay_state (key, value) VALUES (?, ?)')
    const startedAt = new Date().toISOString()
    setState.run(RUNNING_KEY, JSON.stringify({ startedAt, pid: process.pid }))
    this.#db.pragma('wal_checkpoint(TRUNCATE)')
    setState.run(WAL_KEY, startedAt)

    this.#select = this.#db.prepare('SELECT id, kind, checksum, data FROM updates WHERE room = ? ORDER BY id')
    this.#selectHeads = this.#db.prepare('SELECT id, kind, checksum FROM updates WHERE room = ? ORDER BY id')
    this.#selectData = this.#db.prepare('SELECT data FROM updates WHERE id = ?')
    this.#insert = this.#db.prepare('INSERT INTO updates (room, kind, checksum, data) VALUES (?, ?, ?, ?)')
    this.#quarantine = this.#db.prepare(`
      INSERT INTO quarantine (room, row_id, kind, checksum, data, reason, moved_at)
      SELECT room, id, ?, checksum, data, ?, ? FROM updates WHERE id = ?
    `)
    this.#deleteRoom = this.#db.prepare('DELETE FROM updates WHERE room = ?')
    this.#replace = this.#db.transaction((room: string, snapshot: Uint8Array) => {
      // The room's damaged rows are kept for the operator, never dropped with the rest. Row by
      // row, so a large room is not held in memory twice.
      const movedAt = new Date().toISOString()
      this.#selectHeads.all(room).forEach((head, index) => {
        const kind = rowKind(head.kind, index === 0)
        const row = this.#selectData.get(head.id)
        const reason = row === undefined ? null : rowDamage(room, kind, head.checksum, bytesOf(row.data))
        if (reason !== null) this.#quarantine.run(kind, reason, movedAt, head.id)
      })
      this.#deleteRoom.run(room)
      this.#insert.run(room, 'snapshot', rowChecksum(room, 'snapshot', snapshot), snapshot)
    })
    this.#checkpoints = new WalCheckpointer(file, {
      ready: () => {
        if (this.#db.open) this.#db.pragma(`wal_autocheckpoint = ${WAL_CAP_PAGES}`)
      },
      failed: (reason) => {
        if (this.#db.open) this.#db.pragma(`wal_autocheckpoint = ${CHECKPOINT_ON_COMMIT_PAGES}`)
        log?.error('WAL checkpoints run on commit again: the checkpoint worker failed', { reason })
      },
    })
  }

  #migrate(): void {
    const applied = new Set(
      (this.#db.prepare('SELECT id FROM migrations').all() as { id: number }[]).map((row) => row.id),
    )
    const record = this.#db.prepare('INSERT INTO migrations (id, name, applied_at) VALUES (?, ?, ?)')
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.id)) continue
      this.#db.transaction(() => {
        this.#db.exec(migration.sql)
        record.run(migration.id, migration.name, new Date().toISOString())
      })()
    }
  }

  load(room: string): StoredLog {
    const updates: Uint8Array[] = []
    const damaged: DamagedRow[] = []
    let bytes = 0
    let rows = 0
    for (const row of this.#select.iterate(room)) {
      const kind = rowKind(row.kind, rows === 0)
      rows++
      const update = bytesOf(row.data)
      const reason = rowDamage(room, kind, row.checksum, update)
      if (reason !== null) {
        damaged.push({ rowId: row.id, kind, reason })
        continue
      }
      updates.push(update)
      bytes += update.byteLength
    }
    // Without its snapshot (or with nothing left at all) the room would be served as a fraction
    // of itself, and clients with no copy of their own would take that for the board.
    if (damaged.some((row) => row.kind === 'snapshot') || (rows > 0 && updates.length === 0)) {
      throw new DamagedRoomError(room, damaged)
    }
    return { updates, bytes, damaged }
  }

  append(room: string, update: Uint8Array): void {
    this.#insert.run(room, 'update', rowChecksum(room, 'update', update), update)
    this.#checkpoints.wrote()
  }

  replace(room: string, snapshot: Uint8Array): void {
    this.#replace(room, snapshot)
    this.#checkpoints.wrote()
  }

  close(): void {
    // The worker's connection first: the last connection to close removes the WAL.
    this.#checkpoints.close()
    // A clean stop: no relay has the database open any more (SPEC [D6]).
    this.#db.prepare('DELETE FROM relay_state WHERE key IN (?, ?)').run(RUNNING_KEY, WAL_KEY)
    this.#db.pragma('wal_checkpoint(TRUNCATE)')
    this.#db.close()
  }
}
