import Database from 'better-sqlite3'
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { backupDatabase } from '../../server/src/storage/backup'
import { checkDatabase } from '../../server/src/storage/checkDatabase'
import { DamagedRoomError } from '../../server/src/storage/DocStore'
import { rowChecksum } from '../../server/src/storage/rowIntegrity'
import { SQLITE_FILE, SqliteDocStore } from '../../server/src/storage/SqliteDocStore'
import { WalCheckpointer } from '../../server/src/storage/WalCheckpointer'
import { describeDocStore } from '../helpers/describeDocStore'
import { flipStoredBytes, vacuum } from '../helpers/storageDamage'

/**
 * Every DocStore implementation runs the same acceptance suite (server/src/storage/DocStore.ts).
 * A new backend adds one line here.
 */
describeDocStore('SqliteDocStore', (dir) => new SqliteDocStore(dir), {
  damageStored: (dir, bytes) => {
    const file = join(dir, SQLITE_FILE)
    vacuum(file)
    flipStoredBytes(file, bytes, 8, Math.floor(bytes.byteLength / 2))
  },
})

/** What only the SQLite store does: its schema, its migrations, quarantine and the running mark. */
describe('SqliteDocStore on disk', () => {
  const dirs: string[] = []
  const stores: SqliteDocStore[] = []
  afterEach(() => {
    for (const store of stores.splice(0)) {
      try {
        store.close()
      } catch {
        // Closed by the test already.
      }
    }
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'peerboard-sqlite-'))
    dirs.push(dir)
    return dir
  }
  const open = (dir: string): SqliteDocStore => {
    const store = new SqliteDocStore(dir)
    stores.push(store)
    return store
  }
  const closeAll = (): void => {
    for (const store of stores.splice(0)) store.close()
  }
  /** A read-only look at the file, beside (or after) the store. */
  const inspect = <T>(dir: string, read: (db: Database.Database) => T): T => {
    const db = new Database(join(dir, SQLITE_FILE), { readonly: true, fileMustExist: true })
    try {
      return read(db)
    } finally {
      db.close()
    }
  }

  /** Real Yjs updates: a snapshot of `lines` lines and one update per further line, from fresh clients. */
  const yjsRows = (lines: string[], more: string[]): { snapshot: Uint8Array; updates: Uint8Array[]; text: string } => {
    const doc = new Y.Doc()
    doc.getText('text').insert(0, lines.join(''))
    const snapshot = Y.encodeStateAsUpdate(doc)
    const updates = more.map((line) => {
      const writer = new Y.Doc()
      Y.applyUpdate(writer, Y.encodeStateAsUpdate(doc))
      const before = Y.encodeStateVector(writer)
      writer.getText('text').insert(writer.getText('text').length, line)
      const update = Y.encodeStateAsUpdate(writer, before)
      Y.applyUpdate(doc, update)
      return update
    })
    return { snapshot, updates, text: doc.getText('text').toString() }
  }

  /** A database as relays before checksums wrote it: updates(id, room, data), nothing else. */
  const legacyDatabase = (dir: string, rows: [string, Uint8Array][]): void => {
    const db = new Database(join(dir, SQLITE_FILE))
    db.pragma('journal_mode = WAL')
    db.exec(`
      CREATE TABLE updates (id INTEGER PRIMARY KEY, room TEXT NOT NULL, data BLOB NOT NULL);
      CREATE INDEX updates_by_room ON updates (room, id);
    `)
    const insert = db.prepare('INSERT INTO updates (room, data) VALUES (?, ?)')
    for (const [room, data] of rows) insert.run(room, data)
    db.close()
  }

  const textOf = (updates: Uint8Array[]): string => {
    const doc = new Y.Doc()
    for (const update of updates) Y.applyUpdate(doc, update)
    return doc.getText('text').toString()
  }

  it('[D5] every row is written with its kind and a CRC-32 of kind, room and bytes; replace writes a snapshot row', () => {
    const dir = tempDir()
    const store = open(dir)
    store.append('room', Uint8Array.of(1, 2, 3))
    store.replace('other', Uint8Array.of(4, 5))
    store.append('other', Uint8Array.of(6))
    const rows = inspect(dir, (db) =>
      db.prepare('SELECT room, kind, checksum, data FROM updates ORDER BY id').all(),
    ) as { room: string; kind: string; checksum: number; data: Buffer }[]
    expect(rows.map((row) => [row.room, row.kind])).toEqual([
      ['room', 'update'],
      ['other', 'snapshot'],
      ['other', 'update'],
    ])
    for (const row of rows) {
      expect(row.checksum).toBe(rowChecksum(row.room, row.kind as 'snapshot' | 'update', new Uint8Array(row.data)))
    }
    // The room is part of the checksum: a row read back under another room's name fails.
    expect(rowChecksum('room', 'update', Uint8Array.of(1, 2, 3))).not.toBe(rowChecksum('moor', 'update', Uint8Array.of(1, 2, 3)))
    expect(rowChecksum('room', 'update', Uint8Array.of(1))).not.toBe(rowChecksum('room', 'snapshot', Uint8Array.of(1)))
  })

  it('[D5] a database of the old schema opens, is migrated once (recorded in migrations) and serves its rows', () => {
    const dir = tempDir()
    const { snapshot, updates, text } = yjsRows(['first line\n', 'second line\n'], ['third\n', 'fourth\n'])
    legacyDatabase(dir, [
      ['board', snapshot],
      ['board', updates[0] as Uint8Array],
      ['board', updates[1] as Uint8Array],
    ])
    const store = open(dir)
    const log = store.load('board')
    expect(log.damaged).toEqual([])
    expect(log.updates).toHaveLength(3)
    expect(textOf(log.updates)).toBe(text)
    // Legacy rows keep NULL checksums; new rows get theirs.
    store.append('board', yjsRows([], ['x']).updates[0] as Uint8Array)
    const columns = inspect(dir, (db) => db.prepare('SELECT checksum, kind FROM updates ORDER BY id').all()) as {
      checksum: number | null
      kind: string | null
    }[]
    expect(columns.map((c) => c.checksum === null)).toEqual([true, true, true, false])
    expect(columns.map((c) => c.kind)).toEqual([null, null, null, 'update'])
    closeAll()
    open(dir)
    const migrations = inspect(dir, (db) => db.prepare('SELECT id, name FROM migrations ORDER BY id').all()) as {
      id: number
    }[]
    expect(migrations.map((m) => m.id)).toEqual([1, 2, 3])
  })

  it('[D5] legacy rows are checked by decoding: one that does not decode is left out; a first one refuses the room', () => {
    const dir = tempDir()
    const { snapshot, updates, text } = yjsRows(['kept\n'], ['also kept\n'])
    const garbage = Uint8Array.of(0, 2, 7, 7, 7, 7, 7, 7, 7, 7, 7)
    legacyDatabase(dir, [
      ['fine', snapshot],
      ['fine', garbage],
      ['fine', updates[0] as Uint8Array],
      ['broken', garbage],
      ['broken', updates[0] as Uint8Array],
    ])
    const store = open(dir)
    const log = store.load('fine')
    expect(textOf(log.updates)).toBe(text)
    expect(log.damaged).toEqual([{ rowId: 2, kind: 'update', reason: expect.stringContaining('does not decode') }])
    // The first row of a legacy room is taken for its snapshot.
    expect(() => store.load('broken')).toThrow(DamagedRoomError)
  })

  it('[D5] replace moves the damaged rows into quarantine (room, row id, bytes, reason, time) instead of dropping them', () => {
    const dir = tempDir()
    const { snapshot, updates } = yjsRows(['base\n'], ['damaged later ' + 'x'.repeat(200) + '\n', 'fine\n'])
    const first = open(dir)
    first.replace('room', snapshot)
    first.append('room', updates[0] as Uint8Array)
    first.append('room', updates[1] as Uint8Array)
    closeAll()
    const file = join(dir, SQLITE_FILE)
    vacuum(file)
    flipStoredBytes(file, 'x'.repeat(200), 8, 50)
    const damagedBytes = inspect(dir, (db) => (db.prepare('SELECT data FROM updates WHERE id = 2').get() as { data: Buffer }).data)

    const store = open(dir)
    expect(store.load('room').damaged.map((row) => row.rowId)).toEqual([2])
    const before = Date.now()
    store.replace('room', Uint8Array.of(0, 0))
    const quarantined = inspect(dir, (db) => db.prepare('SELECT * FROM quarantine').all()) as {
      room: string
      row_id: number
      kind: string
      data: Buffer
      reason: string
      moved_at: string
    }[]
    expect(quarantined).toHaveLength(1)
    const row = quarantined[0] as (typeof quarantined)[number]
    expect(row).toMatchObject({ room: 'room', row_id: 2, kind: 'update' })
    expect(row.reason).toMatch(/^checksum mismatch/)
    expect(Buffer.compare(row.data, damagedBytes)).toBe(0)
    expect(Date.parse(row.moved_at)).toBeGreaterThanOrEqual(before - 1000)
    // And the room is whole again: only the new snapshot, no damage.
    expect(store.load('room')).toMatchObject({ bytes: 2, damaged: [] })
    // check counts it as quarantined, not damaged.
    closeAll()
    expect(checkDatabase(join(dir, SQLITE_FILE))).toMatchObject({ damagedRows: 0, quarantinedRows: 1, problems: [] })
  })

  it('[D1] the checkpoint worker copies committed writes into the database file within seconds', async () => {
    const dir = tempDir()
    const store = open(dir)
    for (let i = 0; i < 50; i++) store.append('room', Uint8Array.of(i))
    // Far below the WAL length at which a commit checkpoints by itself: only the worker copies
    // them, and the database file alone (copied without its WAL) shows whether it has.
    const copied = tempDir()
    const deadline = Date.now() + 10_000
    let rows = 0
    while (rows < 50 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      copyFileSync(join(dir, SQLITE_FILE), join(copied, SQLITE_FILE))
      rows = inspect(copied, (db) => (db.prepare("SELECT count(*) AS n FROM updates WHERE room = 'room'").get() as { n: number }).n)
    }
    expect(rows).toBe(50)
    expect(store.load('room').updates).toHaveLength(50)
  })

  it('[D6] close stops the checkpoint worker first, so a clean close still removes the WAL', () => {
    const dir = tempDir()
    const store = open(dir)
    store.append('room', Uint8Array.of(1))
    expect(existsSync(join(dir, `${SQLITE_FILE}-wal`))).toBe(true)
    closeAll()
    expect(existsSync(join(dir, `${SQLITE_FILE}-wal`))).toBe(false)
  })

  it('a checkpoint worker that cannot start says so once, and closing it returns at once', async () => {
    const events: string[] = []
    const checkpoints = new WalCheckpointer(
      join(tempDir(), SQLITE_FILE),
      { ready: () => events.push('ready'), failed: (reason) => events.push(`failed: ${reason}`) },
      new URL('./no-such-worker.mjs', import.meta.url),
    )
    const deadline = Date.now() + 10_000
    while (events.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(events).toHaveLength(1)
    expect(events[0]).toMatch(/^failed: /)
    checkpoints.wrote()
    const started = Date.now()
    checkpoints.close()
    // Not the 5 s it would wait for a worker that is running.
    expect(Date.now() - started).toBeLessThan(4000)
  })

  it('[D6] a database copied without its WAL while a store had it open: the lost WAL is reported; with its WAL or after a clean close it is not', () => {
    const dir = tempDir()
    const store = open(dir)
    store.append('room', Uint8Array.of(1))
    // A crash is a store that never closed: copy the files as a killed relay leaves them.
    const withoutWal = tempDir()
    copyFileSync(join(dir, SQLITE_FILE), join(withoutWal, SQLITE_FILE))
    const withWal = tempDir()
    copyFileSync(join(dir, SQLITE_FILE), join(withWal, SQLITE_FILE))
    copyFileSync(join(dir, `${SQLITE_FILE}-wal`), join(withWal, `${SQLITE_FILE}-wal`))

    const lost = open(withoutWal)
    expect(lost.lostWal?.message).toMatch(/did not stop cleanly.*missing/)
    // The append was only in the WAL: it is gone, which is what the report warns about.
    expect(lost.load('room').updates).toEqual([])
    const recovered = open(withWal)
    expect(recovered.lostWal).toBeNull()
    expect(recovered.load('room').updates).toHaveLength(1)
    closeAll()
    expect(open(dir).lostWal).toBeNull()
    // The reopened stores ran and closed cleanly: nothing to report next time.
    closeAll()
    expect(open(withoutWal).lostWal).toBeNull()
  })

  it('[D4] [D6] a backup taken while a store runs is whole and does not say a relay has it open', async () => {
    const dir = tempDir()
    const store = open(dir)
    store.append('room', Uint8Array.of(9, 9))
    const target = join(tempDir(), SQLITE_FILE)
    await backupDatabase(dir, target)
    const restored = open(join(target, '..'))
    expect(restored.lostWal).toBeNull()
    expect(restored.load('room').updates.map((u) => [...u])).toEqual([[9, 9]])
  })
})
