import Database from 'better-sqlite3'
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { runRelayCli } from '../helpers/relayCli'
import { tempDataDir, type RelayProcess } from '../helpers/relayProcess'
import {
  createPool,
  freshRoom,
  messageType,
  openRawSocket,
  readSyncFrame,
  storedDoc,
  storedRows,
  waitForText,
  waitForValue,
  waitSynced,
  type RawSocket,
  type SyncClient,
} from '../helpers/syncClients'
import { waitFor } from '../helpers/wait'
import { behind, QUERY_AWARENESS, readSavedFrame, SAVED, SAVED_SUBSCRIBE, textUpdate, updateFrame } from '../helpers/wireFrames'

const SQLITE_FILE = 'peerboard.sqlite'
/** Bursts of writes must not be rate limited here: these tests are about storage. */
const UNLIMITED = { RATE_MESSAGES_PER_SECOND: '1000000', RATE_BURST_SECONDS: '60' }

const stateVector = (doc: Y.Doc): Map<number, number> => Y.decodeStateVector(Y.encodeStateVector(doc))

/** The SAVED state vectors a subscribed raw socket has received, oldest first. */
const savedAcks = (socket: RawSocket): Map<number, number>[] =>
  socket.frames.map(readSavedFrame).filter((sv): sv is Map<number, number> => sv !== null)

/** Sends query-awareness and waits for its answer: every frame for this socket before it has arrived. */
const roundTrip = async (socket: RawSocket): Promise<void> => {
  const answered = socket.frames.filter((f) => messageType(f) === 1).length
  socket.send(QUERY_AWARENESS)
  await waitFor('the answer to query-awareness', () => socket.frames.filter((f) => messageType(f) === 1).length > answered)
}

/**
 * Writes small edits into `client` without pause (yielding now and then so the socket can send)
 * until `stop()` is called; resolves with how many were written.
 */
const burst = (client: SyncClient, label: string): { stop(): Promise<number> } => {
  let running = true
  const done = (async () => {
    let written = 0
    while (running) {
      client.text.insert(client.text.length, `${label}${written % 10}`)
      written++
      if (written % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 1))
    }
    return written
  })()
  return {
    stop: async () => {
      running = false
      return done
    },
  }
}

/** Overwrites page `page` (1-based) of a SQLite file with zeros. */
const zeroPage = (file: string, page: number, pageSize: number): void => {
  const fd = openSync(file, 'r+')
  try {
    writeSync(fd, Buffer.alloc(pageSize), 0, pageSize, (page - 1) * pageSize)
  } finally {
    closeSync(fd)
  }
}

/** [D1]-[D4] What the relay has acknowledged is on disk, survives a kill, is checked at start and backed up. */
describe('relay durability', () => {
  const pool = createPool()
  const extraDirs: string[] = []
  afterEach(async () => {
    await pool.clear()
    for (const dir of extraDirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  it('[D2] SAVED_SUBSCRIBE (100) is answered with SAVED (101, stored state vector) after each commit; other sockets never get 101', async () => {
    const relay = await pool.relay()
    const room = freshRoom('d2-saved')
    const writer = pool.client(relay, room)
    const reader = pool.client(relay, room)
    await Promise.all([waitSynced(writer), waitSynced(reader)])
    // Spy on what the unmodified provider receives.
    const readerTypes: number[] = []
    reader.provider.ws?.addEventListener('message', (event: MessageEvent) => {
      readerTypes.push(messageType(new Uint8Array(event.data as ArrayBuffer)))
    })
    const subscriber = await pool.rawSocket(relay, room)
    const bystander = await pool.rawSocket(relay, room)

    subscriber.send([SAVED_SUBSCRIBE])
    // Answered at once with what is stored now: nothing yet.
    const first = await waitForValue('the first SAVED', () => savedAcks(subscriber)[0])
    expect(first.size).toBe(0)

    for (const word of ['saved ', 'and ', 'acknowledged']) {
      writer.text.insert(writer.text.length, word)
      const expected = stateVector(writer.doc).get(writer.doc.clientID) as number
      const ack = await waitForValue(`a SAVED covering clock ${expected}`, () =>
        savedAcks(subscriber).find((sv) => (sv.get(writer.doc.clientID) ?? 0) >= expected),
      )
      expect(ack.get(writer.doc.clientID)).toBe(expected)
      // Acknowledged means committed: the SQLite file has at least that much.
      expect(behind(stateVector(storedDoc(relay.dataDir, room)), ack)).toEqual([])
    }
    // The SAVED frame is exactly 101 · varUint8Array(state vector).
    const last = subscriber.frames.filter((f) => messageType(f) === SAVED).at(-1) as Uint8Array
    expect(Array.from(last.slice(0, 1))).toEqual([SAVED])
    expect(readSavedFrame(last)).toEqual(stateVector(writer.doc))
    // The subscriber also gets the updates themselves, like any socket.
    expect(subscriber.frames.some((f) => messageType(f) === 0 && readSyncFrame(f).syncType === 2)).toBe(true)

    // Anything the relay would send the others comes before its answer to a query-awareness.
    await roundTrip(bystander)
    await waitForText(reader, 'saved and acknowledged')
    expect(bystander.frames.some((f) => messageType(f) === 0 && readSyncFrame(f).syncType === 2)).toBe(true)
    expect(bystander.frames.map(messageType)).not.toContain(SAVED)
    expect(readerTypes.length).toBeGreaterThan(0)
    expect(readerTypes).not.toContain(SAVED)
  })

  it('[D2] an update from a raw socket is acknowledged to that socket once committed', async () => {
    const relay = await pool.relay()
    const room = freshRoom('d2-raw-writer')
    const socket = await pool.rawSocket(relay, room)
    socket.send([SAVED_SUBSCRIBE])
    const doc = new Y.Doc()
    socket.send(updateFrame(textUpdate('from a raw writer', doc)))
    const ack = await waitForValue('a SAVED with the update', () =>
      savedAcks(socket).find((sv) => (sv.get(doc.clientID) ?? 0) > 0),
    )
    expect(ack).toEqual(stateVector(doc))
    expect(storedDoc(relay.dataDir, room).getText('text').toString()).toBe('from a raw writer')
  })

  it('[D1] [D2] SIGTERM during a burst of writes: after a restart, everything acknowledged as saved is there', async () => {
    const dataDir = tempDataDir()
    const first = await pool.relay({ dataDir, env: UNLIMITED })
    const room = freshRoom('d1-sigterm')
    const writer = pool.client(first, room)
    await waitSynced(writer)
    const watcher = await pool.rawSocket(first, room)
    watcher.send([SAVED_SUBSCRIBE])

    const writing = burst(writer, 'w')
    await waitFor('some writes to be acknowledged', () =>
      savedAcks(watcher).some((sv) => (sv.get(writer.doc.clientID) ?? 0) >= 50),
    )
    // Stopped in the middle of the burst, which goes on until the relay is gone.
    expect(await first.stop('SIGTERM')).toBe(0)
    const written = await writing.stop()
    await watcher.waitClosed()
    const acked = savedAcks(watcher).at(-1) as Map<number, number>
    expect(acked.get(writer.doc.clientID)).toBeGreaterThanOrEqual(50)
    expect(written).toBeGreaterThan(0)
    writer.destroy()

    const second = await pool.relay({ dataDir, env: UNLIMITED })
    const fresh = pool.client(second, room)
    await waitSynced(fresh)
    expect(behind(stateVector(fresh.doc), acked)).toEqual([])
    // And what came back is a prefix of what the writer wrote (appends only, in order).
    expect(writer.text.toString().startsWith(fresh.text.toString())).toBe(true)
  })

  it('[D1] SIGKILL during writes: the relay recovers on the same DATA_DIR, and a provider that stayed alive re-syncs the rest', async () => {
    const dataDir = tempDataDir()
    const first = await pool.relay({ dataDir, env: UNLIMITED })
    const room = freshRoom('d1-sigkill')
    const writer = pool.client(first, room)
    await waitSynced(writer)
    const watcher = await pool.rawSocket(first, room)
    watcher.send([SAVED_SUBSCRIBE])

    const writing = burst(writer, 'k')
    await waitFor('some writes to be acknowledged', () =>
      savedAcks(watcher).some((sv) => (sv.get(writer.doc.clientID) ?? 0) >= 50),
    )
    expect(await first.stop('SIGKILL')).toBe('SIGKILL')
    await writing.stop()
    await watcher.waitClosed()
    const acked = savedAcks(watcher).at(-1) as Map<number, number>
    // The writer goes on offline: this is certainly not on the relay.
    writer.text.insert(writer.text.length, '[written while the relay was down]')

    // The relay starts again on the killed relay's DATA_DIR (the WAL is recovered) and serves at
    // least everything it had acknowledged (this relay is on another port: the writer cannot reach it).
    const checker = await pool.relay({ dataDir, env: UNLIMITED })
    const survivor = pool.client(checker, room)
    await waitSynced(survivor)
    expect(behind(stateVector(survivor.doc), acked)).toEqual([])
    expect(survivor.text.toString()).not.toContain('[written while the relay was down]')
    survivor.destroy()
    expect(await checker.stop('SIGTERM')).toBe(0)

    // Back on the writer's port: the provider reconnects by itself and sends what the relay lacks.
    const second = await pool.relay({ dataDir, port: first.port, env: UNLIMITED })
    await waitFor('the writer to reconnect and sync', () => writer.provider.wsconnected && writer.provider.synced, 20_000)
    const fresh = pool.client(second, room)
    await waitForText(fresh, writer.text.toString(), 20_000)
    expect(stateVector(fresh.doc)).toEqual(stateVector(writer.doc))
  })

  describe('[D3] start-up check', () => {
    /** A DATA_DIR whose database spans many pages, written through a relay and cleanly stopped. */
    const populatedDataDir = async (
      fill: (relay: RelayProcess) => Promise<void>,
    ): Promise<{ dataDir: string; file: string; pageSize: number; pages: number }> => {
      const dataDir = tempDataDir()
      extraDirs.push(dataDir)
      const relay = await pool.relay({ dataDir, env: UNLIMITED })
      await fill(relay)
      expect(await relay.stop('SIGTERM')).toBe(0)
      const file = join(dataDir, SQLITE_FILE)
      const db = new Database(file, { readonly: true })
      const pageSize = db.pragma('page_size', { simple: true }) as number
      const pages = db.pragma('page_count', { simple: true }) as number
      expect(db.pragma('quick_check', { simple: true })).toBe('ok')
      db.close()
      // Cleanly stopped: everything is in the main file.
      expect(existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0).toBe(0)
      return { dataDir, file, pageSize, pages }
    }

    /** The relay on a damaged DATA_DIR: exit 2 and exactly one stderr line about the check. */
    const expectRefusal = async (dataDir: string): Promise<void> => {
      const run = await runRelayCli([], { DATA_DIR: dataDir })
      expect(run.listeningPort).toBeNull()
      expect(run.code).toBe(2)
      const lines = run.stderr.split('\n').filter((line) => line.trim() !== '')
      expect(lines, run.stderr).toHaveLength(1)
      expect(lines[0]).toMatch(/check/i)
      expect(run.stdout).not.toContain('Peerboard is running')
    }

    it('[D3] a page zeroed in the middle of a table of many rooms: the relay refuses to start (exit 2, one line)', async () => {
      const { dataDir, file, pageSize, pages } = await populatedDataDir(async (relay) => {
        // Many rooms, one row each: a table of many leaf pages.
        for (let i = 0; i < 60; i++) {
          const room = freshRoom(`d3-many-${i}`)
          const socket = await pool.rawSocket(relay, room)
          socket.send(updateFrame(textUpdate(`${i}`.padEnd(1500, '.'))))
          await roundTrip(socket)
          socket.ws.close()
        }
      })
      expect(pages).toBeGreaterThan(10)
      zeroPage(file, Math.floor(pages / 2), pageSize)
      await expectRefusal(dataDir)
    })

    it('[D3] a zeroed page in the overflow chain of a large snapshot: the relay refuses to start (exit 2, one line)', async () => {
      const { dataDir, file, pageSize, pages } = await populatedDataDir(async (relay) => {
        const client = pool.client(relay, freshRoom('d3-big'))
        await waitSynced(client)
        // Random-ish text, so the snapshot is large (about 200 kB, one row over many pages).
        let text = ''
        for (let i = 0; text.length < 200_000; i++) text += `${(i * 2654435761) % 1000003} `
        client.text.insert(0, text)
        await waitFor('the big write to be stored', () => storedRows(relay.dataDir, client.provider.roomname).length > 0)
      })
      expect(pages).toBeGreaterThan(40)
      zeroPage(file, Math.floor(pages / 2), pageSize)
      await expectRefusal(dataDir)
    })

    it('[D3] an overwritten file header (not a database any more): the relay refuses to start (exit 2, one line)', async () => {
      const { dataDir, file } = await populatedDataDir(async (relay) => {
        const client = pool.client(relay, freshRoom('d3-header'))
        await waitSynced(client)
        client.text.insert(0, 'soon unreadable')
        await waitFor('the write to be stored', () => storedRows(relay.dataDir, client.provider.roomname).length > 0)
      })
      const fd = openSync(file, 'r+')
      writeSync(fd, Buffer.from('this is no longer a SQLite file'.padEnd(100, '!')), 0, 100, 0)
      closeSync(fd)
      await expectRefusal(dataDir)
    })

    it('[D3] [D5] a stored row without a checksum that does not decode is left out and logged, never fatal', async () => {
      const dataDir = tempDataDir()
      const first = await pool.relay({ dataDir })
      const room = freshRoom('d3-bad-row')
      const writer = pool.client(first, room)
      await waitSynced(writer)
      writer.text.insert(0, 'the good part')
      await waitFor('the write to be stored', () => storedRows(dataDir, room).length > 0)
      writer.destroy()
      expect(await first.stop('SIGTERM')).toBe(0)

      // A row as relays before checksums wrote it (no checksum, no kind), and garbage.
      const db = new Database(join(dataDir, SQLITE_FILE))
      db.prepare('INSERT INTO updates (room, data) VALUES (?, ?)').run(room, Buffer.from([0, 2, 7, 7, 7, 7, 7, 7, 7, 7, 7]))
      db.close()

      const second = await pool.relay({ dataDir })
      const reader = pool.client(second, room)
      await waitForText(reader, 'the good part')
      await waitFor('the bad row to be logged', () => second.output().includes('"msg":"stored row damaged"'))
      expect(second.output()).toMatch(/"kind":"update","reason":"row without checksum \(written before checksums\) does not decode/)
      expect(second.child.exitCode).toBeNull()
    })

    it('[D3] [D5] a room whose only row does not decode is refused with a retryable close, not served empty; other rooms take writes', async () => {
      const dataDir = tempDataDir()
      const first = await pool.relay({ dataDir })
      expect(await first.stop('SIGTERM')).toBe(0)
      const room = freshRoom('d3-bad-only-row')
      const db = new Database(join(dataDir, SQLITE_FILE))
      db.prepare('INSERT INTO updates (room, data) VALUES (?, ?)').run(room, Buffer.from([0, 2, 7, 7, 7, 7, 7, 7, 7, 7, 7]))
      db.close()

      const second = await pool.relay({ dataDir })
      const refused = await openRawSocket(`${second.wsUrl}/${room}`)
      expect(await refused.waitClosed()).toEqual({ code: 4503, reason: 'room data damaged; the operator has been told' })
      await waitFor('the bad row to be logged', () => second.output().includes('"msg":"stored row damaged"'))
      const other = freshRoom('d3-next-door')
      const writer = pool.client(second, other)
      const reader = pool.client(second, other)
      await Promise.all([waitSynced(writer), waitSynced(reader)])
      writer.text.insert(0, 'a fresh start')
      await waitForText(reader, 'a fresh start')
      expect(second.child.exitCode).toBeNull()
    })
  })

  describe('[D4] online backup', () => {
    it('[D4] `backup FILE` while a client writes gives a file that, restored, serves what was written before it', async () => {
      const relay = await pool.relay({ env: UNLIMITED })
      const room = freshRoom('d4-backup')
      const writer = pool.client(relay, room)
      await waitSynced(writer)
      // Big enough that the online backup takes several steps (pages are copied 100 at a time).
      let bulk = ''
      for (let i = 0; bulk.length < 1_500_000; i++) bulk += `${(i * 2654435761) % 1000003} `
      writer.text.insert(0, `before the backup: ${bulk}\n`)
      for (let i = 0; i < 20; i++) writer.text.insert(writer.text.length, `line ${i}\n`)
      const beforeText = writer.text.toString()
      await waitFor('everything before the backup to be stored', () => storedDoc(relay.dataDir, room).getText('text').toString() === beforeText)
      const beforeSv = stateVector(writer.doc)

      const backupDir = tempDataDir()
      extraDirs.push(backupDir)
      const backupFile = join(backupDir, 'backup.sqlite')
      const writing = burst(writer, 'b')
      const run = await runRelayCli(['backup', backupFile], { DATA_DIR: relay.dataDir }, 60_000)
      const writtenDuring = await writing.stop()
      expect(run.code, run.stderr).toBe(0)
      expect(run.stdout).toMatch(/backed up \d+ pages to /)
      expect(writtenDuring).toBeGreaterThan(0)

      // Restore: the copy as DATA_DIR/peerboard.sqlite of a new relay.
      const restoredDir = tempDataDir()
      copyFileSync(backupFile, join(restoredDir, SQLITE_FILE))
      const restored = await pool.relay({ dataDir: restoredDir, env: UNLIMITED })
      const reader = pool.client(restored, room)
      await waitSynced(reader, 20_000)
      expect(behind(stateVector(reader.doc), beforeSv)).toEqual([])
      expect(reader.text.toString().startsWith(beforeText)).toBe(true)
      // Consistent: what it has is a prefix of what the writer wrote.
      expect(writer.text.toString().startsWith(reader.text.toString())).toBe(true)
    })

    it('[D4] `backup` refuses an existing file, a missing argument and a DATA_DIR without a database: exit 2, one line', async () => {
      const dir = tempDataDir()
      extraDirs.push(dir)
      const existing = join(dir, 'exists.sqlite')
      writeFileSync(existing, 'keep me')
      const withDb = tempDataDir()
      extraDirs.push(withDb)
      new Database(join(withDb, SQLITE_FILE)).close()
      const empty = join(dir, 'empty-data-dir')
      mkdirSync(empty)
      const runs = await Promise.all([
        runRelayCli(['backup', existing], { DATA_DIR: withDb }),
        runRelayCli(['backup'], { DATA_DIR: withDb }),
        runRelayCli(['backup', join(dir, 'a.sqlite'), 'extra'], { DATA_DIR: withDb }),
        runRelayCli(['backup', join(dir, 'b.sqlite')], { DATA_DIR: empty }),
      ])
      for (const run of runs) {
        expect(run.code, run.stderr).toBe(2)
        expect(run.stderr.split('\n').filter((line) => line.trim() !== ''), run.stderr).toHaveLength(1)
        expect(run.listeningPort).toBeNull()
      }
      expect(existsSync(join(dir, 'a.sqlite'))).toBe(false)
      expect(existsSync(join(dir, 'b.sqlite'))).toBe(false)
    })
  })
})
