import Database from 'better-sqlite3'
import { closeSync, existsSync, openSync, rmSync, statSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { SQLITE_FILE, SqliteDocStore } from '../../server/src/storage/SqliteDocStore'
import { metricValue } from '../helpers/metricsText'
import { runRelayCli } from '../helpers/relayCli'
import { tempDataDir, type RelayProcess } from '../helpers/relayProcess'
import { flipStoredBytes, vacuum } from '../helpers/storageDamage'
import { createPool, freshRoom, openRawSocket, storedDoc, storedRows, waitForText, waitSynced } from '../helpers/syncClients'
import { waitFor } from '../helpers/wait'
import { textUpdate } from '../helpers/wireFrames'

/** The close the relay gives a socket for a room it will not serve damaged (retryable). */
const ROOM_DAMAGED = { code: 4503, reason: 'room data damaged; the operator has been told' }

interface Health {
  readonly status: string
  readonly problems?: string[]
}

const health = async (relay: RelayProcess): Promise<Health> => {
  const res = await fetch(`${relay.url}/healthz`)
  // Degraded is still 200: one bad room must not take the whole relay out of a load balancer.
  expect(res.status).toBe(200)
  return (await res.json()) as Health
}

/** The relay's JSON log lines whose msg is `msg`. */
const logLines = (relay: RelayProcess, msg: string): Record<string, unknown>[] =>
  relay
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.msg === msg)

const textOf = (...updates: Uint8Array[]): string => {
  const doc = new Y.Doc()
  for (const update of updates) Y.applyUpdate(doc, update)
  return doc.getText('text').toString()
}

/** A doc that starts from `base` and adds `line` at the end: the update it made, and the doc. */
const writerOf = (base: Uint8Array, line: string): { doc: Y.Doc; update: Uint8Array } => {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, base)
  const before = Y.encodeStateVector(doc)
  doc.getText('text').insert(doc.getText('text').length, line)
  return { doc, update: Y.encodeStateAsUpdate(doc, before) }
}

/**
 * SPEC [D5]-[D7]: damage inside stored rows is reported (error log, metric, /healthz, `check`)
 * and never served as if whole; a WAL lost in a crash is reported at start; old databases migrate.
 */
describe('relay storage integrity', () => {
  const pool = createPool()
  const dirs: string[] = []
  afterEach(async () => {
    await pool.clear()
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })
  const dataDir = (): string => {
    const dir = tempDataDir()
    dirs.push(dir)
    return dir
  }

  it('[D5] [D7] flipped bytes inside a snapshot row: the room is refused with 4503, logged once, /healthz degraded, `check` exits 1; other rooms are served', async () => {
    const dir = dataDir()
    const room = freshRoom('d5-snapshot')
    const other = freshRoom('d5-other')
    const marker = `SNAPSHOT-CONTENT-${room}`
    const first = await pool.relay({ dataDir: dir })
    const writer = pool.client(first, room)
    const bystander = pool.client(first, other)
    await Promise.all([waitSynced(writer), waitSynced(bystander)])
    for (let i = 0; i < 20; i++) writer.text.insert(writer.text.length, `line ${i} ${i === 10 ? marker : ''}\n`)
    bystander.text.insert(0, 'the other room is fine')
    const written = writer.text.toString()
    // Everything written is stored before the writers go (the marker must be in the snapshot).
    await waitFor('both rooms to be stored', () =>
      storedDoc(dir, room).getText('text').toString() === written && storedRows(dir, other).length > 0,
    )
    writer.destroy()
    bystander.destroy()
    // A clean stop stores each room as one snapshot row.
    expect(await first.stop('SIGTERM')).toBe(0)
    expect(storedRows(dir, room)).toHaveLength(1)
    const file = join(dir, SQLITE_FILE)
    vacuum(file)
    flipStoredBytes(file, marker, 8, 9)

    const check = await runRelayCli(['check'], { DATA_DIR: dir })
    expect(check.code, check.stdout + check.stderr).toBe(1)
    const problems = check.stdout.split('\n').filter((line) => line.startsWith('problem: '))
    expect(problems, check.stdout).toHaveLength(1)
    expect(problems[0]).toMatch(new RegExp(`room ${room}: row \\d+ \\(snapshot\\) is damaged: checksum mismatch`))
    expect(problems[0]).toContain('the relay refuses this room')
    expect(check.stdout).toMatch(/2 rooms, 2 rows; 1 damaged row, .* 0 quarantined rows; integrity_check ok/)

    const second = await pool.relay({ dataDir: dir })
    // A raw socket: upgraded, then closed with the retryable code and its reason.
    const raw = await openRawSocket(`${second.wsUrl}/${room}`)
    expect(await raw.waitClosed()).toEqual(ROOM_DAMAGED)
    // An unmodified provider is refused too, and keeps retrying (4503 is not permanent).
    const reader = pool.client(second, room)
    await waitFor('the provider to be refused twice', () => reader.closeCodes.filter((code) => code === ROOM_DAMAGED.code).length >= 2, 15_000)
    expect(reader.provider.shouldConnect).toBe(true)
    expect(reader.text.toString()).toBe('')
    expect(written).toContain(marker)

    // Reported once, however often the room was asked for.
    const damaged = logLines(second, 'stored row damaged')
    expect(damaged).toHaveLength(1)
    expect(damaged[0]).toMatchObject({ level: 'error', room, kind: 'snapshot', action: 'room refused until restored' })
    expect(damaged[0]?.reason).toMatch(/^checksum mismatch/)
    expect(typeof damaged[0]?.rowId).toBe('number')
    expect(await metricValue(second, 'peerboard_storage_damaged_rows_total')).toBe(1)
    const answer = await health(second)
    expect(answer.status).toBe('degraded')
    expect(answer.problems).toHaveLength(1)
    expect(answer.problems?.[0]).toMatch(/^stored row \d+ \(snapshot\) damaged: checksum mismatch/)
    // /healthz is public: it never names the room (a room name leads to its board).
    expect(JSON.stringify(answer)).not.toContain(room)

    // Every other room is served as before, and the relay runs on.
    const fine = pool.client(second, other)
    await waitForText(fine, 'the other room is fine')
    expect(second.child.exitCode).toBeNull()
  })

  it('[D5] flipped bytes inside one update row: that row is left out, logged and counted, the rest is served; honest clients re-send it and the room is whole again', async () => {
    const dir = dataDir()
    const room = freshRoom('d5-update')
    const marker = `UPDATE-CONTENT-${room}`
    // The room as a relay stores it: a snapshot, then one row per update from three writers.
    const base = new Y.Doc()
    for (let i = 0; i < 10; i++) base.getText('text').insert(base.getText('text').length, `base line ${i}\n`)
    const snapshot = Y.encodeStateAsUpdate(base)
    const x = writerOf(snapshot, 'line from x\n')
    const y = writerOf(snapshot, `line from y ${marker}\n`)
    const z = writerOf(snapshot, 'line from z\n')
    const store = new SqliteDocStore(dir)
    store.replace(room, snapshot)
    for (const writer of [x, y, z]) store.append(room, writer.update)
    store.close()
    const file = join(dir, SQLITE_FILE)
    vacuum(file)
    flipStoredBytes(file, marker, 8, 7)

    const relay = await pool.relay({ dataDir: dir })
    const reader = pool.client(relay, room)
    await waitForText(reader, textOf(snapshot, x.update, z.update))
    expect(reader.text.toString()).not.toContain('line from y')
    const damaged = logLines(relay, 'stored row damaged')
    expect(damaged).toHaveLength(1)
    expect(damaged[0]).toMatchObject({ level: 'error', room, kind: 'update', rowId: 3 })
    expect(damaged[0]?.action).toContain('left out')
    expect(await metricValue(relay, 'peerboard_storage_damaged_rows_total')).toBe(1)
    expect((await health(relay)).status).toBe('degraded')

    // The writer whose update was damaged comes online: it sends what the relay lacks.
    const honest = pool.client(relay, room, y.doc)
    const whole = textOf(snapshot, x.update, y.update, z.update)
    await waitForText(reader, whole)
    await waitForText(honest, whole)
    honest.destroy()
    reader.destroy()
    expect(await relay.stop('SIGTERM')).toBe(0)

    // The damaged row was not dropped: the compaction moved it to quarantine for the operator.
    const db = new Database(file, { readonly: true, fileMustExist: true })
    const quarantined = db.prepare('SELECT room, row_id, kind, reason FROM quarantine').all()
    db.close()
    expect(quarantined).toEqual([{ room, row_id: 3, kind: 'update', reason: expect.stringMatching(/^checksum mismatch/) }])
    const check = await runRelayCli(['check'], { DATA_DIR: dir })
    expect(check.code, check.stdout).toBe(0)
    expect(check.stdout).toContain('1 room, 1 row; 0 damaged rows, 0 rows that do not load, 1 quarantined row; integrity_check ok')

    const again = await pool.relay({ dataDir: dir })
    const fresh = pool.client(again, room)
    await waitForText(fresh, whole)
    expect((await health(again)).status).toBe('ok')
    expect(logLines(again, 'stored row damaged')).toHaveLength(0)
  })

  it('[D6] [D7] a WAL deleted after kill -9: `check` and the next start report it (error line, /healthz, metric); the relay runs on', async () => {
    const dir = dataDir()
    const room = freshRoom('d6-wal')
    const first = await pool.relay({ dataDir: dir })
    const writer = pool.client(first, room)
    await waitSynced(writer)
    for (let i = 0; i < 32; i++) writer.text.insert(writer.text.length, `acknowledged line ${i}\n`)
    await waitFor('the lines to be stored', () => storedRows(dir, room).length >= 32)
    expect(await first.stop('SIGKILL')).toBe('SIGKILL')
    writer.destroy()
    const wal = join(dir, `${SQLITE_FILE}-wal`)
    expect(statSync(wal).size).toBeGreaterThan(0)
    rmSync(wal)

    const check = await runRelayCli(['check'], { DATA_DIR: dir })
    expect(check.code, check.stdout).toBe(1)
    expect(check.stdout).toMatch(/problem: the relay started at \S+ did not stop cleanly and its write-ahead log \(peerboard\.sqlite-wal\) is missing/)

    // `check` read the database, and SQLite left an empty WAL behind: still reported at start.
    const second = await pool.relay({ dataDir: dir })
    const lost = logLines(second, 'write-ahead log lost')
    expect(lost).toHaveLength(1)
    expect(lost[0]).toMatchObject({ level: 'error' })
    expect(String(lost[0]?.problem)).toMatch(/did not stop cleanly .* updates acknowledged since then may be lost/)
    const answer = await health(second)
    expect(answer.status).toBe('degraded')
    expect(answer.problems?.[0]).toContain('write-ahead log')
    expect(await metricValue(second, 'peerboard_storage_wal_lost')).toBe(1)
    // What the WAL held is gone (that is what the report says); the relay serves and stores on.
    const after = pool.client(second, room)
    await waitSynced(after)
    after.text.insert(0, 'written after the loss')
    await waitFor('the new write to be stored', () => storedRows(dir, room).length > 0)
    after.destroy()
    expect(await second.stop('SIGTERM')).toBe(0)

    // A clean stop clears it: the next start has nothing to report.
    const third = await pool.relay({ dataDir: dir })
    expect(logLines(third, 'write-ahead log lost')).toHaveLength(0)
    expect((await health(third)).status).toBe('ok')
    expect(await metricValue(third, 'peerboard_storage_wal_lost')).toBe(0)
    const reader = pool.client(third, room)
    await waitForText(reader, 'written after the loss')
  })

  it('[D6] a kill -9 with the WAL in place is recovered silently: nothing is reported', async () => {
    const dir = dataDir()
    const room = freshRoom('d6-kept')
    const first = await pool.relay({ dataDir: dir })
    const writer = pool.client(first, room)
    await waitSynced(writer)
    writer.text.insert(0, 'kept through the kill')
    await waitFor('the write to be stored', () => storedRows(dir, room).length > 0)
    expect(await first.stop('SIGKILL')).toBe('SIGKILL')
    writer.destroy()
    expect(existsSync(join(dir, `${SQLITE_FILE}-wal`))).toBe(true)

    const second = await pool.relay({ dataDir: dir })
    expect(logLines(second, 'write-ahead log lost')).toHaveLength(0)
    expect((await health(second)).status).toBe('ok')
    await waitForText(pool.client(second, room), 'kept through the kill')
  })

  it('[D5] [D7] a database of the old schema (no checksums) opens, migrates and serves its rows; `check` passes while the relay runs', async () => {
    const dir = dataDir()
    const room = freshRoom('d5-legacy')
    const base = new Y.Doc()
    base.getText('text').insert(0, 'written by an older relay\n')
    const snapshot = Y.encodeStateAsUpdate(base)
    const one = writerOf(snapshot, 'and appended later\n')
    const two = writerOf(snapshot, 'by two people\n')
    // Exactly what relays before checksums created.
    const legacy = new Database(join(dir, SQLITE_FILE))
    legacy.pragma('journal_mode = WAL')
    legacy.exec(`
      CREATE TABLE updates (id INTEGER PRIMARY KEY, room TEXT NOT NULL, data BLOB NOT NULL);
      CREATE INDEX updates_by_room ON updates (room, id);
    `)
    const insert = legacy.prepare('INSERT INTO updates (room, data) VALUES (?, ?)')
    for (const row of [snapshot, one.update, two.update]) insert.run(room, row)
    legacy.close()

    const relay = await pool.relay({ dataDir: dir })
    const reader = pool.client(relay, room)
    await waitForText(reader, textOf(snapshot, one.update, two.update))
    expect((await health(relay)).status).toBe('ok')

    const check = await runRelayCli(['check'], { DATA_DIR: dir })
    expect(check.code, check.stdout).toBe(0)
    expect(check.stdout).toContain('1 room, 3 rows (3 written before checksums); 0 damaged rows')
    expect(check.stdout.trim().split('\n').at(-1)).toBe('clean')

    reader.destroy()
    expect(await relay.stop('SIGTERM')).toBe(0)
    const db = new Database(join(dir, SQLITE_FILE), { readonly: true, fileMustExist: true })
    const migrations = db.prepare('SELECT id FROM migrations ORDER BY id').all()
    const rows = db.prepare('SELECT kind, checksum IS NOT NULL AS checked FROM updates WHERE room = ?').all(room)
    db.close()
    expect(migrations).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }])
    // Unloaded, the room was compacted into one checksummed snapshot.
    expect(rows).toEqual([{ kind: 'snapshot', checked: 1 }])
    const after = await runRelayCli(['check'], { DATA_DIR: dir })
    expect(after.code).toBe(0)
    expect(after.stdout).toContain('1 room, 1 row; 0 damaged rows')
  })

  it('[D7] `check FILE` checks a backup; a zeroed page fails SQLite\'s integrity_check: exit 1', async () => {
    const dir = dataDir()
    const store = new SqliteDocStore(dir)
    for (let i = 0; i < 60; i++) store.append(freshRoom(`d7-${i}`), textUpdate(`${i}`.padEnd(1500, '.')))
    store.close()
    const backup = join(dataDir(), 'backup.sqlite')
    expect((await runRelayCli(['backup', backup], { DATA_DIR: dir })).code).toBe(0)
    const clean = await runRelayCli(['check', backup])
    expect(clean.code, clean.stdout + clean.stderr).toBe(0)
    expect(clean.stdout).toContain(`checking ${backup}`)
    expect(clean.stdout).toContain('60 rooms, 60 rows; 0 damaged rows')

    const db = new Database(backup, { readonly: true })
    const pageSize = db.pragma('page_size', { simple: true }) as number
    const pages = db.pragma('page_count', { simple: true }) as number
    db.close()
    const fd = openSync(backup, 'r+')
    writeSync(fd, Buffer.alloc(pageSize), 0, pageSize, Math.floor(pages / 2) * pageSize)
    closeSync(fd)
    const damaged = await runRelayCli(['check', backup])
    expect(damaged.code, damaged.stdout + damaged.stderr).toBe(1)
    expect(damaged.stdout).toMatch(/^problem: (integrity_check: |the database cannot be read)/m)
    expect(damaged.stdout).toMatch(/integrity_check FAILED/)
  })

  it('[D7] `check` usage: extra arguments or no database exit 2 with one line', async () => {
    const empty = dataDir()
    const runs = await Promise.all([
      runRelayCli(['check', 'a.sqlite', 'b.sqlite'], { DATA_DIR: empty }),
      runRelayCli(['check'], { DATA_DIR: empty }),
    ])
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(2)
      expect(run.stderr.split('\n').filter((line) => line.trim() !== '')).toHaveLength(1)
    }
    expect(runs[0]?.stderr).toContain('usage: npm run relay -- check')
    expect(runs[1]?.stderr).toContain('no database')
  })
})
