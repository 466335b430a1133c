import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createLogger } from '../../server/src/log'
import { NO_OBSERVER } from '../../server/src/relay/RelayObserver'
import { RoomDoc, roundTripProblem, UpdateRefused, type PendingAccount, type RoomDocLimits } from '../../server/src/relay/RoomDoc'
import type { DocStore } from '../../server/src/storage/DocStore'
import { SqliteDocStore } from '../../server/src/storage/SqliteDocStore'

/**
 * The room's trial-apply (SPEC [Y6], [Y7]) against a real SQLite store. The hostile updates below
 * were found by mutating real updates with a seeded search; each one changed a room before this
 * relay checked them (see the comment on each).
 */

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'))

/** "hello world" in text, {a: 1} in m, [1, 2, 3] in arr, written by client 1. */
const BASE = hex('01030100040104746578740b68656c6c6f20776f726c642801016d0161017d01080103617272037d017d027d0300')
/** Valid structs first, then one that throws inside Y.applyUpdate after they were integrated. */
const THROWS_MIDWAY = hex('01020200c402020103036162632801016d016201760101787d0101010200020d01')
/** An insert whose left origin lies right of its right origin: memory and a reload disagree. */
const ORIGINS_CROSSED = hex('01020200c4010a0103036162632801016d016201760101787d0101010200020d01')
/** BASE plus `t`: a Y.Text "inner" in m (client 1, clocks 15-20). */
const BASE_NESTED = (() => {
  const doc = new Y.Doc()
  doc.clientID = 1
  doc.getText('text').insert(0, 'hello world')
  doc.getMap('m').set('a', 1)
  doc.getArray('arr').insert(0, [1, 2, 3])
  doc.getMap('m').set('t', new Y.Text('inner'))
  return Y.encodeStateAsUpdate(doc)
})()
/** A map entry whose right origin lies inside the text it replaces: its key vanishes on reload. */
const MAP_ENTRY_WITH_RIGHT_ORIGIN = hex('01040200c401020103036162632801016d016201760101787d01c4010f0112027a7a48010c0177017101010200020d01')

const LIMITS: RoomDocLimits = {
  compactAfterUpdates: 500,
  compactAfterBytes: 1024 * 1024,
  maxDocBytes: 1024 * 1024,
  maxPendingBytes: 4096,
  maxPendingBytesPerSocket: 2048,
}

const dirs: string[] = []
const stores: SqliteDocStore[] = []
afterEach(() => {
  for (const store of stores.splice(0)) store.close()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const openStore = (dir = mkdtempSync(join(tmpdir(), 'peerboard-trial-'))): { store: SqliteDocStore; dir: string } => {
  if (!dirs.includes(dir)) dirs.push(dir)
  const store = new SqliteDocStore(dir)
  stores.push(store)
  return { store, dir }
}

const log = createLogger('error', () => undefined)
const sender = (): PendingAccount => ({ pendingBytes: 0, pendingEpoch: 0 })

/** A room holding `base` (stored as one update). */
const roomWith = (base: Uint8Array, store: DocStore = openStore().store, limits = LIMITS): RoomDoc => {
  const room = new RoomDoc('room', store, limits, NO_OBSERVER, log)
  room.apply(base, sender())
  return room
}

const contentOf = (room: RoomDoc): Y.Doc => {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, room.missingFrom(new Uint8Array([0])))
  return doc
}

const expectRefused = (room: RoomDoc, update: Uint8Array, reason: UpdateRefused['reason'], from = sender()): void => {
  const before = room.missingFrom(new Uint8Array([0]))
  const stored = room.logSize
  let refusal: unknown = null
  try {
    room.apply(update, from)
  } catch (error) {
    refusal = error
  }
  expect(refusal).toBeInstanceOf(UpdateRefused)
  expect((refusal as UpdateRefused).reason).toBe(reason)
  // Byte-identical: the same encoding, the same stored log.
  expect(room.missingFrom(new Uint8Array([0]))).toEqual(before)
  expect(room.logSize).toEqual(stored)
}

describe('[Y6] trial-apply', () => {
  it('[Y6] an update that does not decode is refused before the room changes', () => {
    const room = roomWith(BASE)
    expectRefused(room, BASE.slice(0, BASE.length - 3), 'malformed')
    expectRefused(room, hex('0102020001'), 'malformed')
  })

  it('[Y6] an update that throws half-way through integrating leaves the room byte-identical, and honest edits go on', () => {
    // Without the trial, its first structs stayed in the room's doc (and were stored and relayed).
    const room = roomWith(BASE)
    const scratch = new Y.Doc()
    Y.applyUpdate(scratch, BASE)
    expect(() => Y.applyUpdate(scratch, THROWS_MIDWAY)).toThrow()
    expectRefused(room, THROWS_MIDWAY, 'malformed')
    const honest = new Y.Doc()
    Y.applyUpdate(honest, room.missingFrom(new Uint8Array([0])))
    const before = Y.encodeStateVector(honest)
    honest.getText('text').insert(0, '> ')
    expect(room.apply(Y.encodeStateAsUpdate(honest, before), sender())).not.toBeNull()
    expect(contentOf(room).getText('text').toString()).toBe('> hello world')
  })

  it('[Y6] an insert whose origins cross is refused (memory and a reload of the room would disagree)', () => {
    const scratch = new Y.Doc()
    Y.applyUpdate(scratch, BASE)
    Y.applyUpdate(scratch, ORIGINS_CROSSED)
    const reloaded = new Y.Doc()
    Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(scratch))
    expect(reloaded.getText('text').toString()).not.toBe(scratch.getText('text').toString())

    expectRefused(roomWith(BASE), ORIGINS_CROSSED, 'malformed')
  })

  it('[Y6] a map entry with a right origin is refused (its key would vanish on reload)', () => {
    expectRefused(roomWith(BASE_NESTED), MAP_ENTRY_WITH_RIGHT_ORIGIN, 'malformed')
  })

  it('[Y6] a zero-length item, a clock past 2^30 and a deletion at 2^53 are refused before they touch the room', () => {
    // Yjs takes each of these without an error; afterwards the doc no longer encodes, or every
    // later update throws.
    const room = roomWith(BASE)
    expectRefused(room, hex('0101e9070144e907000000'), 'malformed')
    expectRefused(room, hex('0001e90702ffffffffffffff0f021401'), 'malformed')
    const far = new Y.Doc()
    far.clientID = 5
    far.getText('text').insert(0, 'far')
    expectRefused(room, shiftClock(Y.encodeStateAsUpdate(far), 2 ** 30), 'malformed')
    expect(room.apply(shiftClock(Y.encodeStateAsUpdate(far), 2 ** 30 - 10), sender())).toBeNull()
  })

  it('[Y6] what the room stores always loads back equal to what it holds', () => {
    const { store, dir } = openStore()
    const room = roomWith(BASE, store)
    const writer = new Y.Doc()
    Y.applyUpdate(writer, BASE)
    for (let i = 0; i < 20; i++) {
      const before = Y.encodeStateVector(writer)
      writer.getText('text').insert(i % 5, `${i}`)
      if (i % 3 === 0) writer.getText('text').delete(0, 1)
      room.apply(Y.encodeStateAsUpdate(writer, before), sender())
    }
    room.compact()
    room.close()
    const reopened = new RoomDoc('room', new SqliteDocStore(dir), LIMITS, NO_OBSERVER, log)
    expect(contentOf(reopened).getText('text').toString()).toBe(writer.getText('text').toString())
  })

  it('[Y6] a snapshot that does not load back whole is named as such', () => {
    expect(roundTripProblem(BASE)).toBeNull()
    expect(roundTripProblem(BASE.slice(0, 20))).toMatch(/does not load/)
  })

  it('[D1] a storage failure refuses the update (retryable) and leaves the room as stored', () => {
    const { store } = openStore()
    let failing = false
    const flaky: DocStore = {
      load: (room) => store.load(room),
      append: (room, update) => {
        if (failing) throw new Error('disk I/O error')
        store.append(room, update)
      },
      replace: (room, snapshot) => store.replace(room, snapshot),
      close: () => undefined,
    }
    const room = roomWith(BASE, flaky)
    const writer = new Y.Doc()
    Y.applyUpdate(writer, BASE)
    writer.getText('text').insert(0, 'lost? ')
    failing = true
    expectRefused(room, Y.encodeStateAsUpdate(writer), 'storage_failed')
    failing = false
    room.apply(Y.encodeStateAsUpdate(writer), sender())
    expect(contentOf(room).getText('text').toString()).toBe('lost? hello world')
  })
})

/** Client 1 sets m.k to 'v' (clock 0), then to 'w' (1), types "xy" (2-3) and, with `z`, "z" before it (4). */
const mapThenText = (z: boolean): Uint8Array => {
  const doc = new Y.Doc()
  doc.clientID = 1
  doc.getMap('m').set('k', 'v')
  doc.getMap('m').set('k', 'w')
  doc.getText('text').insert(0, 'xy')
  if (z) doc.getText('text').insert(0, 'z')
  return Y.encodeStateAsUpdate(doc)
}
/**
 * A deleted run of client 1 from clock 1 (m.k = 'w'), its origin 1:0 (m.k = 'v'), its length forged
 * 1 -> 5 (long fuzz seeds 1083 and 1123: a SyncStep2's deleted-run length forged 1 -> 16384). The
 * room holds clocks 0-4: Yjs takes the run's list (m, key k) from its origin, then cuts it to clock
 * 5 and links it after 1:4, in the text. In memory a map entry sits in the text; what is stored
 * names 1:4 as its origin and loads into the text, so the room's snapshot does not re-encode to the
 * same bytes. The update's own structs look consistent (1:1 is in its origin's list), so only the
 * cut, not the update as sent, shows it.
 */
const OVERLAP_FROM_ANOTHER_LIST = hex('010101018101000500')
/**
 * The same, length 4, into the room without "z" (clocks 0-3): the cut run becomes m.k's value in
 * memory (deleting "y" as the key's old value), then merges into the deleted "xy". The snapshot
 * re-encodes the same, but memory says m = {} where every reload says {k: 'w'}.
 */
const OVERLAP_MERGED = hex('010101018101000400')

describe('[Y6] trial-apply: long fuzz regressions', () => {
  it('[Y6] a run that re-sends part of the room, cut into another list, is refused (memory and its snapshot would disagree)', () => {
    const scratch = new Y.Doc()
    Y.applyUpdate(scratch, mapThenText(true))
    Y.applyUpdate(scratch, OVERLAP_FROM_ANOTHER_LIST)
    expect(roundTripProblem(Y.encodeStateAsUpdate(scratch))).toBe('it re-encodes differently')
    expectRefused(roomWith(mapThenText(true)), OVERLAP_FROM_ANOTHER_LIST, 'malformed')

    const merged = new Y.Doc()
    Y.applyUpdate(merged, mapThenText(false))
    Y.applyUpdate(merged, OVERLAP_MERGED)
    const reloaded = new Y.Doc()
    Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(merged))
    expect(roundTripProblem(Y.encodeStateAsUpdate(merged))).toBeNull()
    expect(merged.getMap('m').toJSON()).toEqual({})
    expect(reloaded.getMap('m').toJSON()).toEqual({ k: 'w' })
    expectRefused(roomWith(mapThenText(false)), OVERLAP_MERGED, 'malformed')
  })

  it('[Y6] an honest update that re-sends part of what the room holds is still taken', () => {
    const writer = new Y.Doc()
    writer.clientID = 1
    const room = roomWith(new Uint8Array([0, 0]))
    writer.getText('text').insert(0, 'ab')
    writer.getMap('m').set('k', 'v')
    room.apply(Y.encodeStateAsUpdate(writer), sender())
    writer.getText('text').insert(2, 'cd')
    writer.getMap('m').set('k', 'w')
    // The whole state again (as a SyncStep2 against an old state vector): it starts below the room's clock.
    expect(room.apply(Y.encodeStateAsUpdate(writer), sender())).not.toBeNull()
    expect(contentOf(room).getText('text').toString()).toBe('abcd')
    expect(contentOf(room).getMap('m').get('k')).toBe('w')
  })

  it('[Y6] a room whose nested map was deleted after its keys were overwritten compacts (Yjs leaves collected runs unmerged)', () => {
    const errors: string[] = []
    const { store, dir } = openStore()
    const room = new RoomDoc('room', store, LIMITS, NO_OBSERVER, createLogger('error', (line) => errors.push(line)))
    const writer = new Y.Doc()
    writer.clientID = 1
    writer.on('update', (update: Uint8Array) => room.apply(update, sender()))
    const nested = new Y.Map<number>()
    writer.getMap('m').set('n', nested) // 1:0
    nested.set('a', 1) // 1:1
    nested.set('b', 1) // 1:2
    writer.getText('text').insert(0, 'x') // 1:3
    nested.set('a', 2) // 1:4, overwrites 1:1
    nested.set('b', 2) // 1:5, overwrites 1:2
    writer.getMap('m').delete('n') // collects 1:1, 1:2 and 1:4-5; 1:1 and 1:2 stay two runs in memory
    expect(roundTripProblem(Y.encodeStateAsUpdate(writer))).toBe('it re-encodes differently')

    room.compact()
    expect(errors).toEqual([])
    expect(room.logSize.updates).toBe(1)
    room.close()
    const reopened = new RoomDoc('room', new SqliteDocStore(dir), LIMITS, NO_OBSERVER, log)
    expect(contentOf(reopened).getText('text').toString()).toBe('x')
    expect(contentOf(reopened).getMap('m').toJSON()).toEqual({})
    reopened.close()
  })
})

/** An update of about `size` bytes from client 77 that starts at `clock`: a clock gap. */
const gapUpdate = (size: number, clock = 1_000_000): Uint8Array => {
  const doc = new Y.Doc()
  doc.clientID = 77
  doc.getText('text').insert(0, 'x'.repeat(size))
  return shiftClock(Y.encodeStateAsUpdate(doc), clock)
}

/** Rewrites the first struct clock of a one-client V1 update (`01 01 <client> 00 ...`). */
const shiftClock = (update: Uint8Array, clock: number): Uint8Array => {
  // V1: numClients, numStructs, client, clock (all varUint). Client 77 and clock 0 are one byte each.
  const head = [update[0], update[1], update[2]]
  const varUint: number[] = []
  let value = clock
  while (value > 0x7f) {
    varUint.push((value & 0x7f) | 0x80)
    value >>>= 7
  }
  varUint.push(value)
  return Uint8Array.from([...(head as number[]), ...varUint, ...update.slice(4)])
}

describe('[Y7] pending updates', () => {
  it('[Y7] a clock-gap update is held, not stored, not sent, and counts against the pending caps', () => {
    const room = roomWith(BASE)
    const stored = room.logSize
    const account = sender()
    expect(room.apply(gapUpdate(1000), account)).toBeNull()
    expect(room.pendingBytes).toBeGreaterThan(1000)
    expect(room.logSize).toEqual(stored)
    expect(contentOf(room).getText('text').toString()).toBe('hello world')
    // The same socket adding more than its share is refused; the pending state stays as it was.
    const pending = room.pendingBytes
    expectRefused(room, gapUpdate(1500, 3_000_000), 'pending_too_large', account)
    expect(room.pendingBytes).toBe(pending)
    // Another socket still may (the room's cap is higher).
    expect(room.apply(gapUpdate(1500, 3_000_000), sender())).toBeNull()
  })

  it('[Y7] an update that integrates in part but leaves too much pending is undone whole', () => {
    const room = roomWith(BASE)
    const writer = new Y.Doc()
    writer.clientID = 78
    writer.getText('text').insert(0, 'y')
    const mixed = Y.mergeUpdates([Y.encodeStateAsUpdate(writer), gapUpdate(3000)])
    expectRefused(room, mixed, 'pending_too_large')
    expect(contentOf(room).getText('text').toString()).toBe('hello world')
  })

  it('[Y7] the room cap holds across sockets', () => {
    const room = roomWith(BASE)
    room.apply(gapUpdate(1500, 1_000_000), sender())
    room.apply(gapUpdate(1500, 2_000_000), sender())
    expectRefused(room, gapUpdate(1500, 3_000_000), 'pending_too_large')
  })

  it('[Y7] a compaction snapshot leaves pending structs out', () => {
    const { store, dir } = openStore()
    const room = roomWith(BASE, store)
    room.apply(gapUpdate(1000), sender())
    room.close()
    const reopened = new RoomDoc('room', new SqliteDocStore(dir), LIMITS, NO_OBSERVER, log)
    expect(reopened.pendingBytes).toBe(0)
    expect(reopened.logSize.bytes).toBeLessThan(200)
  })

  it('[Y7] [L5] pending bytes count against MAX_DOC_BYTES', () => {
    const room = roomWith(BASE, openStore().store, { ...LIMITS, maxDocBytes: 2000, maxPendingBytes: 100_000, maxPendingBytesPerSocket: 100_000 })
    room.apply(gapUpdate(1500), sender())
    expectRefused(room, gapUpdate(600, 5_000_000), 'doc_too_large')
  })

  it('[Y7] once the gap is filled, the held structs are integrated and stored', () => {
    const writer = new Y.Doc()
    writer.clientID = 88
    writer.getText('text').insert(0, 'first ')
    const first = Y.encodeStateAsUpdate(writer)
    const sv = Y.encodeStateVector(writer)
    writer.getText('text').insert(6, 'second')
    const second = Y.encodeStateAsUpdate(writer, sv)
    const room = roomWith(BASE)
    expect(room.apply(second, sender())).toBeNull()
    expect(room.pendingBytes).toBeGreaterThan(0)
    expect(room.apply(first, sender())).not.toBeNull()
    expect(room.pendingBytes).toBe(0)
    expect(contentOf(room).getText('text').toString()).toContain('first second')
  })
})
