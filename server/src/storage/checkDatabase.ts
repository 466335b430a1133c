import Database from 'better-sqlite3'
import { existsSync, statSync } from 'node:fs'
import * as Y from 'yjs'
import { bytesOf, rowDamage, rowKind } from './rowIntegrity'
import { lostWalOf, RUNNING_KEY, walFileOf } from './SqliteDocStore'

/** What `npm run relay -- check` found (SPEC [D5], [D6]). */
export interface CheckReport {
  readonly file: string
  /** One line each: SQLite's integrity check, damaged rows, rows that do not load, a lost WAL. */
  readonly problems: readonly string[]
  /** One line each: things worth knowing that are not damage (a room waiting for missing updates). */
  readonly notes: readonly string[]
  readonly integrityOk: boolean
  readonly rooms: number
  readonly rows: number
  /** Rows written before checksums existed (checked by decoding). */
  readonly legacyRows: number
  /** Rows whose bytes fail their check (checksum mismatch; a legacy row that does not decode). */
  readonly damagedRows: number
  /** Rows that pass their check but throw when applied to a Y.Doc. */
  readonly unloadableRows: number
  /** Rows the relay moved out of rooms into the quarantine table. */
  readonly quarantinedRows: number
}

const hasTable = (db: Database.Database, name: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !== undefined

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/**
 * Checks a relay database (DATA_DIR/peerboard.sqlite, or a backup) read-only, so it can run while
 * the relay does: SQLite's
 * `integrity_check`, every row's checksum (or, for rows older than checksums, that it decodes),
 * and that each room's rows load into a Y.Doc. All in one read transaction: one consistent view.
 * Throws when there is no database at all.
 */
export const checkDatabase = (file: string): CheckReport => {
  if (!existsSync(file)) throw new Error(`no database at ${file}`)
  // Before SQLite opens it: a read-only connection may create an empty WAL.
  const wal = walFileOf(file)
  const walBytes = existsSync(wal) ? statSync(wal).size : null
  const problems: string[] = []
  const notes: string[] = []
  let integrityOk = false
  let rooms = 0
  let rows = 0
  let legacyRows = 0
  let damagedRows = 0
  let unloadableRows = 0
  let quarantinedRows = 0

  let db: Database.Database | null = null
  try {
    db = new Database(file, { readonly: true, fileMustExist: true })
    db.exec('BEGIN')
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check)
    integrityOk = integrity.length === 1 && integrity[0] === 'ok'
    if (!integrityOk) for (const line of integrity) problems.push(`integrity_check: ${line}`)

    if (hasTable(db, 'relay_state')) {
      const running = db.prepare('SELECT value FROM relay_state WHERE key = ?').get(RUNNING_KEY) as
        | { value: string }
        | undefined
      const lost = lostWalOf(running?.value, walBytes)
      if (lost !== null) problems.push(lost.message)
    }
    if (hasTable(db, 'quarantine')) {
      quarantinedRows = (db.prepare('SELECT count(*) AS n FROM quarantine').get() as { n: number }).n
    }

    if (hasTable(db, 'updates')) {
      const columns = (db.pragma('table_info(updates)') as { name: string }[]).map((column) => column.name)
      const checksummed = columns.includes('checksum') && columns.includes('kind')
      const select = db.prepare(
        `SELECT id, room, ${checksummed ? 'kind, checksum' : 'NULL AS kind, NULL AS checksum'}, data
         FROM updates ORDER BY room, id`,
      )
      let room: string | null = null
      let doc = new Y.Doc()
      const finishRoom = (): void => {
        if (room === null) return
        const waiting = doc.store.pendingStructs !== null || doc.store.pendingDs !== null
        if (waiting) notes.push(`room ${room}: some of its updates wait for earlier updates that are not stored`)
        doc.destroy()
        doc = new Y.Doc()
      }
      let first = true
      for (const row of select.iterate() as Iterable<{
        id: number
        room: string
        kind: string | null
        checksum: number | null
        data: Buffer
      }>) {
        if (row.room !== room) {
          finishRoom()
          room = row.room
          rooms++
          first = true
        }
        rows++
        if (row.checksum === null) legacyRows++
        const kind = rowKind(row.kind, first)
        first = false
        const data = bytesOf(row.data)
        const damage = rowDamage(row.room, kind, row.checksum, data)
        if (damage !== null) {
          damagedRows++
          const effect =
            kind === 'snapshot'
              ? 'the relay refuses this room'
              : 'the relay leaves it out and quarantines it at the next compaction'
          problems.push(`room ${row.room}: row ${row.id} (${kind}) is damaged: ${damage}; ${effect}`)
          continue
        }
        try {
          Y.applyUpdate(doc, data)
        } catch (error) {
          unloadableRows++
          problems.push(`room ${row.room}: row ${row.id} (${kind}) does not load into a document: ${describe(error)}`)
        }
      }
      finishRoom()
    }
    db.exec('COMMIT')
  } catch (error) {
    // Damage bad enough that SQLite cannot read on ("database disk image is malformed").
    problems.push(`the database cannot be read: ${describe(error)}`)
  } finally {
    db?.close()
  }
  return {
    file,
    problems,
    notes,
    integrityOk,
    rooms,
    rows,
    legacyRows,
    damagedRows,
    unloadableRows,
    quarantinedRows,
  }
}
