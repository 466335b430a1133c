import { isDeepStrictEqual } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { tempDataDir } from '../helpers/relayProcess'
import {
  createPool,
  freshRoom,
  getHealth,
  storedDoc,
  storedRows,
  waitForText,
  waitForValue,
  waitSynced,
  type SyncClient,
} from '../helpers/syncClients'
import { waitFor } from '../helpers/wait'

/** Everything a test compares: the text, a map and an array, as plain values. */
const contentOf = (doc: Y.Doc): unknown => ({
  text: doc.getText('text').toString(),
  meta: doc.getMap('meta').toJSON(),
  list: doc.getArray('list').toJSON(),
})

/** Many small updates of several kinds, including deletions (so gc has something to collect). */
const writeSmallUpdates = (client: SyncClient, count: number): void => {
  const meta = client.doc.getMap('meta')
  const list = client.doc.getArray<number>('list')
  for (let i = 0; i < count; i++) {
    if (i % 10 === 9) client.text.delete(0, 2)
    else client.text.insert(client.text.length, String(i % 10))
    if (i % 25 === 0) meta.set(`key${i % 3}`, i)
    if (i % 40 === 0) list.push([i])
  }
}

/** [Y2] Updates are stored before they are relayed, logs are compacted, restarts serve the same content. */
describe('relay persistence', () => {
  const pool = createPool()
  afterEach(() => pool.clear())

  it('[Y2] an update another client has seen is already in SQLite', async () => {
    const relay = await pool.relay()
    const room = freshRoom('y2-append-first')
    const a = pool.client(relay, room)
    const b = pool.client(relay, room)
    await Promise.all([waitSynced(a), waitSynced(b)])
    for (let i = 0; i < 5; i++) {
      a.text.insert(a.text.length, `line ${i}\n`)
      await waitForText(b, a.text.toString())
      // B has it, so the relay has appended it: the file holds it right now.
      expect(storedDoc(relay.dataDir, room).getText('text').toString()).toBe(a.text.toString())
    }
  })

  it('[Y2] a restart on the same DATA_DIR serves everything to a third, fresh client', async () => {
    const dataDir = tempDataDir()
    const first = await pool.relay({ dataDir })
    const room = freshRoom('y2-restart')
    const otherRoom = freshRoom('y2-restart-other')
    const a = pool.client(first, room)
    const b = pool.client(first, room)
    const other = pool.client(first, otherRoom)
    await Promise.all([waitSynced(a), waitSynced(b), waitSynced(other)])
    a.text.insert(0, 'from A. ')
    await waitForText(b, 'from A. ')
    b.text.insert(b.text.length, 'from B.')
    writeSmallUpdates(b, 30)
    other.text.insert(0, 'another room')
    await waitFor('A and B to converge', () => a.text.toString() === b.text.toString())
    const expected = contentOf(b.doc)
    a.destroy()
    b.destroy()
    other.destroy()
    expect(await first.stop('SIGTERM')).toBe(0)

    const second = await pool.relay({ dataDir })
    const c = pool.client(second, room)
    await waitSynced(c)
    expect(contentOf(c.doc)).toEqual(expected)
    const d = pool.client(second, otherRoom)
    await waitForText(d, 'another room')
  })

  it('[Y2] a relay killed with SIGKILL still serves every update a client saw relayed', async () => {
    const dataDir = tempDataDir()
    const first = await pool.relay({ dataDir })
    const room = freshRoom('y2-kill')
    const a = pool.client(first, room)
    const b = pool.client(first, room)
    await Promise.all([waitSynced(a), waitSynced(b)])
    writeSmallUpdates(a, 50)
    await waitFor('B to have all of A', () => b.text.toString() === a.text.toString())
    const expected = contentOf(a.doc)
    a.destroy()
    b.destroy()
    expect(await first.stop('SIGKILL')).toBe('SIGKILL')

    const second = await pool.relay({ dataDir })
    const c = pool.client(second, room)
    await waitSynced(c)
    expect(contentOf(c.doc)).toEqual(expected)
  })

  it('[Y2] past COMPACT_AFTER_UPDATES the log is compacted; stored and restarted content are identical', async () => {
    const dataDir = tempDataDir()
    const compactAfter = 20
    const first = await pool.relay({ dataDir, env: { COMPACT_AFTER_UPDATES: String(compactAfter) } })
    const room = freshRoom('y2-compact')
    const a = pool.client(first, room)
    const b = pool.client(first, room)
    await Promise.all([waitSynced(a), waitSynced(b)])
    writeSmallUpdates(a, 300)
    await waitFor('B to have all 300 updates', () => b.text.toString() === a.text.toString())
    const expected = contentOf(a.doc)

    // Compaction runs after the appends; once quiet, fewer rows than the threshold remain.
    const rows = await waitForValue('the log to be compacted', () => {
      const count = storedRows(dataDir, room).length
      return count < compactAfter ? count : false
    })
    expect(rows).toBeGreaterThanOrEqual(1)
    expect(first.output()).toContain('"msg":"room compacted"')
    // The compacted rows hold exactly the document the clients have.
    expect(contentOf(storedDoc(dataDir, room))).toEqual(expected)

    a.destroy()
    b.destroy()
    expect(await first.stop('SIGTERM')).toBe(0)
    const second = await pool.relay({ dataDir, env: { COMPACT_AFTER_UPDATES: String(compactAfter) } })
    const c = pool.client(second, room)
    await waitSynced(c)
    expect(contentOf(c.doc)).toEqual(expected)
    expect(c.text.toString()).toBe(a.text.toString())
  })

  it('[Y2] past COMPACT_AFTER_BYTES the log is compacted too', async () => {
    const dataDir = tempDataDir()
    const relay = await pool.relay({ dataDir, env: { COMPACT_AFTER_BYTES: '4096' } })
    const room = freshRoom('y2-compact-bytes')
    const a = pool.client(relay, room)
    await waitSynced(a)
    for (let i = 0; i < 40; i++) a.text.insert(a.text.length, `${'x'.repeat(400)}\n`)
    const expected = a.text.toString()
    const b = pool.client(relay, room)
    await waitForText(b, expected)
    await waitFor('the byte-heavy log to be compacted', () => storedRows(dataDir, room).length < 20)
    expect(storedDoc(dataDir, room).getText('text').toString()).toBe(expected)
  })

  it('[Y2] a document larger than COMPACT_AFTER_BYTES is not re-compacted on every small update', async () => {
    // Regression: the byte threshold counted the snapshot itself, so once a document outgrew it,
    // every keystroke rewrote the whole snapshot.
    const dataDir = tempDataDir()
    const relay = await pool.relay({ dataDir, env: { COMPACT_AFTER_BYTES: '4096' } })
    const room = freshRoom('y2-big-doc')
    const a = pool.client(relay, room)
    const b = pool.client(relay, room)
    await Promise.all([waitSynced(a), waitSynced(b)])
    a.text.insert(0, 'y'.repeat(10_000))
    a.text.insert(a.text.length, '!')
    await waitForText(b, `${'y'.repeat(10_000)}!`)
    // Two appends past the byte threshold: compacted once into a snapshot.
    await waitFor('the first compaction', () => storedRows(dataDir, room).length === 1)

    for (let i = 0; i < 20; i++) a.text.insert(a.text.length, String(i % 10))
    await waitFor('B to have the small updates', () => b.text.toString() === a.text.toString())
    await getHealth(relay) // a round trip: any compaction the appends scheduled has run by now
    expect(storedRows(dataDir, room)).toHaveLength(21)
    expect(storedDoc(dataDir, room).getText('text').toString()).toBe(a.text.toString())
  })

  it('[Y2] [Y4] a room is unloaded when its last client leaves, and its log compacted to one row', async () => {
    const relay = await pool.relay()
    const room = freshRoom('y2-unload')
    const a = pool.client(relay, room)
    const b = pool.client(relay, room)
    await Promise.all([waitSynced(a), waitSynced(b)])
    for (let i = 0; i < 8; i++) a.text.insert(a.text.length, `${i}`)
    await waitForText(b, '01234567')
    expect(storedRows(relay.dataDir, room).length).toBeGreaterThan(1)
    const health = await getHealth(relay)
    expect(health).toMatchObject({ status: 'ok', rooms: 1, connections: 2 })

    a.destroy()
    await waitFor('A to be gone', async () => (await getHealth(relay)).connections === 1)
    // One client left: the room stays loaded.
    expect((await getHealth(relay)).rooms).toBe(1)
    b.destroy()
    await waitFor('the room to unload', async () => {
      const h = await getHealth(relay)
      return h.rooms === 0 && h.connections === 0
    })
    const rows = storedRows(relay.dataDir, room)
    expect(rows).toHaveLength(1)
    expect(storedDoc(relay.dataDir, room).getText('text').toString()).toBe('01234567')

    // It loads again from that one row.
    const c = pool.client(relay, room)
    await waitForText(c, '01234567')
    expect((await getHealth(relay)).rooms).toBe(1)
  })

  it('[Y2] a cold room answers from its stored snapshot: partial and fresh clients sync, an edit made at once is kept once', async () => {
    const relay = await pool.relay()
    const room = freshRoom('y2-cold')
    const a = pool.client(relay, room)
    await waitSynced(a)
    a.text.insert(0, 'first half. ')
    // C's device keeps what it had seen by then.
    const halfway = Y.encodeStateAsUpdate(a.doc)
    writeSmallUpdates(a, 120)
    a.doc.getMap('meta').set('late', 'yes')
    const full = contentOf(a.doc) as { text: string; meta: Record<string, unknown>; list: unknown[] }
    await waitForValue('A’s writes in SQLite', () => isDeepStrictEqual(contentOf(storedDoc(relay.dataDir, room)), full))
    a.destroy()
    await waitFor('the room to unload', async () => (await getHealth(relay)).rooms === 0)
    expect(storedRows(relay.dataDir, room)).toHaveLength(1)

    // C comes back with half of it and types at once; ten fresh clients arrive with it.
    const cDoc = new Y.Doc()
    Y.applyUpdate(cDoc, halfway)
    const c = pool.client(relay, room, cDoc)
    const fresh = Array.from({ length: 10 }, () => pool.client(relay, room))
    c.doc.getMap('meta').set('from C', 'typed before syncing')
    const expected = { ...full, meta: { ...full.meta, 'from C': 'typed before syncing' } }
    for (const client of [c, ...fresh]) {
      await waitForValue('every client to hold the whole document and C’s edit', () =>
        isDeepStrictEqual(contentOf(client.doc), expected),
      )
    }
    // The snapshot was not stored again when the room took it in: one row, then C's edit.
    await waitForValue('C’s edit in SQLite', () => storedDoc(relay.dataDir, room).getMap('meta').get('from C') === 'typed before syncing')
    expect(storedRows(relay.dataDir, room)).toHaveLength(2)

    for (const client of [c, ...fresh]) client.destroy()
    await waitFor('the room to unload again', async () => (await getHealth(relay)).rooms === 0)
    expect(storedRows(relay.dataDir, room)).toHaveLength(1)
    expect(contentOf(storedDoc(relay.dataDir, room))).toEqual(expected)
  })
})
