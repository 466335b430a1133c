import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { DocStore, StoredLog } from './DocStore'

/** The file under DATA_DIR that holds every room. */
export const SQLITE_FILE = 'peerboard.sqlite'

/**
 * DocStore on one SQLite file in WAL mode. Each append is its own transaction: with WAL and
 * `synchronous = NORMAL` a committed append survives the relay process being killed (not a power
 * cut before the next checkpoint; see docs/ARCHITECTURE.md).
 */
export class SqliteDocStore implements DocStore {
  readonly #db: Database.Database
  readonly #select: Database.Statement<[string], { data: Buffer }>
  readonly #insert: Database.Statement<[string, Uint8Array]>
  readonly #deleteRoom: Database.Statement<[string]>
  readonly #replace: (room: string, snapshot: Uint8Array) => void

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true })
    this.#db = new Database(join(dataDir, SQLITE_FILE))
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
    `)
    this.#select = this.#db.prepare('SELECT data FROM updates WHERE room = ? ORDER BY id')
    this.#insert = this.#db.prepare('INSERT INTO updates (room, data) VALUES (?, ?)')
    this.#deleteRoom = this.#db.prepare('DELETE FROM updates WHERE room = ?')
    this.#replace = this.#db.transaction((room: string, snapshot: Uint8Array) => {
      this.#deleteRoom.run(room)
      this.#insert.run(room, snapshot)
    })
  }

  load(room: string): StoredLog {
    const updates: Uint8Array[] = []
    let bytes = 0
    for (const row of this.#select.iterate(room)) {
      const update = new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength)
      updates.push(update)
      bytes += update.byteLength
    }
    return { updates, bytes }
  }

  append(room: string, update: Uint8Array): void {
    this.#insert.run(room, update)
  }

  replace(room: string, snapshot: Uint8Array): void {
    this.#replace(room, snapshot)
  }

  close(): void {
    this.#db.pragma('wal_checkpoint(TRUNCATE)')
    this.#db.close()
  }
}
