import * as encoding from 'lib0/encoding'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { metricValue } from '../helpers/metricsText'
import type { RelayProcess } from '../helpers/relayProcess'
import {
  createPool,
  freshRoom,
  getHealth,
  messageType,
  openRawSocket,
  readSyncFrame,
  storedDoc,
  storedRows,
  waitForText,
  waitSynced,
  type RawSocket,
  type SyncClient,
} from '../helpers/syncClients'
import { waitFor } from '../helpers/wait'
import * as awarenessProtocol from 'y-protocols/awareness'
import { awarenessFrame, awarenessUpdateOf, QUERY_AWARENESS, textUpdate, updateFrame } from '../helpers/wireFrames'

const MESSAGE_TOO_LARGE = 4413
const DOC_TOO_LARGE = 4414
const AWARENESS_TOO_LARGE = 4415
const SLOW_DOWN = 4529
const TOO_MANY_CONNECTIONS = 4530
const ROOM_CAPACITY = 4531

/** Two synced providers in a fresh room. */
const pair = async (pool: ReturnType<typeof createPool>, relay: RelayProcess, label: string): Promise<[SyncClient, SyncClient]> => {
  const room = freshRoom(label)
  const a = pool.client(relay, room)
  const b = pool.client(relay, room)
  await Promise.all([waitSynced(a), waitSynced(b)])
  return [a, b]
}

/** A writes, B must receive it (and the other way round): the room still syncs. */
const stillSyncs = async ([a, b]: [SyncClient, SyncClient], marker: string): Promise<void> => {
  a.text.insert(a.text.length, `${marker}a`)
  await waitForText(b, a.text.toString())
  b.text.insert(b.text.length, `${marker}b`)
  await waitForText(a, b.text.toString())
}

const awarenessAnswers = (socket: RawSocket): number => socket.frames.filter((f) => messageType(f) === 1).length

/** Sends query-awareness and waits for its answer: the socket is open and served. */
const answers = async (socket: RawSocket): Promise<void> => {
  const before = awarenessAnswers(socket)
  socket.send(QUERY_AWARENESS)
  await waitFor('an answer to query-awareness', () => awarenessAnswers(socket) > before)
}

/**
 * [L1]-[L6] Each limit touches only the offending socket: a request that can never succeed closes
 * it with a permanent code, speed only slows it down, and a busy relay asks it to come back later.
 */
describe('relay limits', () => {
  const relays = createPool()
  const pool = createPool()
  afterEach(() => pool.clear())
  afterAll(() => relays.clear())

  describe('frame, document and awareness sizes', () => {
    let relay: RelayProcess
    beforeAll(async () => {
      relay = await relays.relay({
        env: {
          MAX_MESSAGE_BYTES: '65536',
          MAX_DOC_BYTES: '4096',
          MAX_AWARENESS_BYTES: '256',
          AWARENESS_PER_SECOND: '5',
          RATE_BURST_SECONDS: '1',
        },
      })
    })

    it('[L1] a 70000-byte frame (MAX_MESSAGE_BYTES=65536) closes that socket with 4413; another room keeps syncing', async () => {
      const other = await pair(pool, relay, 'l1-other')
      const same = await pair(pool, relay, 'l1-same')
      const offender = await pool.rawSocket(relay, same[0].provider.roomname)
      // A well-formed sync Update, just too big.
      offender.send(updateFrame(textUpdate('x'.repeat(70_000))))
      const closed = await offender.waitClosed()
      expect(closed.code).toBe(MESSAGE_TOO_LARGE)
      expect(closed.reason).not.toBe('')
      await stillSyncs(other, '[after L1]')
      await stillSyncs(same, '[after L1]')
      expect(same[0].text.toString()).not.toContain('xxx')
      expect(storedDoc(relay.dataDir, same[0].provider.roomname).getText('text').toString()).not.toContain('xxx')
      expect(relay.child.exitCode).toBeNull()
    })

    it('[L1] a valid frame of almost MAX_MESSAGE_BYTES is accepted', async () => {
      const [a] = await pair(pool, relay, 'l1-under')
      const socket = await pool.rawSocket(relay, a.provider.roomname)
      // A SyncStep1 whose state vector names thousands of clients: about 60 kB, and valid.
      const clocks = new Map<number, number>()
      for (let i = 0; clocks.size < 7000; i++) clocks.set(100_000_000 + i * 7919, 100_000_000 + i)
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, 0)
      encoding.writeVarUint(encoder, 0)
      encoding.writeVarUint8Array(encoder, Y.encodeStateVector(clocks))
      const frame = encoding.toUint8Array(encoder)
      expect(frame.byteLength).toBeGreaterThan(50_000)
      expect(frame.byteLength).toBeLessThan(65_536)
      socket.send(frame)
      await waitFor('the SyncStep2 answer', () =>
        socket.frames.some((f) => messageType(f) === 0 && readSyncFrame(f).syncType === 1),
      )
      expect(socket.closed()).toBeNull()
    })

    it('[L5] an update that would take the room past MAX_DOC_BYTES=4096 closes with 4414 and is not stored', async () => {
      const [a, b] = await pair(pool, relay, 'l5')
      const room = a.provider.roomname
      a.text.insert(0, 'y'.repeat(1000))
      await waitForText(b, 'y'.repeat(1000))
      const rowsBefore = storedRows(relay.dataDir, room)
      expect(rowsBefore.length).toBeGreaterThan(0)

      const offender = await pool.rawSocket(relay, room)
      offender.send(updateFrame(textUpdate('z'.repeat(3500))))
      expect((await offender.waitClosed()).code).toBe(DOC_TOO_LARGE)
      expect(storedRows(relay.dataDir, room)).toEqual(rowsBefore)

      // The room carries on with small updates; nobody ever sees the refused one.
      await stillSyncs([a, b], '[after L5]')
      const fresh = pool.client(relay, room)
      await waitSynced(fresh)
      expect(fresh.text.toString()).toBe(a.text.toString())
      expect(fresh.text.toString()).not.toContain('z')
      expect(a.closeCodes).toEqual([])
    })

    it('[L5] a provider whose edit would exceed MAX_DOC_BYTES is closed with 4414 and does not retry', async () => {
      const [a, b] = await pair(pool, relay, 'l5-provider')
      const room = a.provider.roomname
      a.text.insert(0, 'big '.repeat(1500))
      await waitFor('the provider to be closed', () => a.closeCodes.length > 0)
      expect(a.closeCodes[0]).toBe(DOC_TOO_LARGE)
      expect(a.provider.shouldConnect).toBe(false)
      expect(b.text.toString()).toBe('')
      expect(storedDoc(relay.dataDir, room).getText('text').toString()).toBe('')
      b.text.insert(0, 'small')
      const fresh = pool.client(relay, room)
      await waitForText(fresh, 'small')
    })

    it('[L6] an awareness frame larger than MAX_AWARENESS_BYTES=256 closes with 4415; nobody sees it', async () => {
      const [a, b] = await pair(pool, relay, 'l6')
      const offender = await pool.rawSocket(relay, a.provider.roomname)
      const { clientId, update } = awarenessUpdateOf({ user: { name: 'n'.repeat(1000) } })
      expect(update.byteLength).toBeGreaterThan(256)
      offender.send(awarenessFrame(update))
      expect((await offender.waitClosed()).code).toBe(AWARENESS_TOO_LARGE)
      await stillSyncs([a, b], '[after L6]')
      expect(a.provider.awareness.getStates().has(clientId)).toBe(false)
      expect(b.provider.awareness.getStates().has(clientId)).toBe(false)
    })

    it('[L6] [L2] a flood of presence (past AWARENESS_PER_SECOND) is slowed down, not closed, and its latest state arrives', async () => {
      const [a, b] = await pair(pool, relay, 'l6-rate')
      const socket = await pool.rawSocket(relay, a.provider.roomname)
      const doc = new Y.Doc()
      const awareness = new awarenessProtocol.Awareness(doc)
      const throttledBefore = await metricValue(relay, 'peerboard_rejections_total', 'reason="rate_limited"')
      // 5 a second with a burst of 5: 20 changes take about 3 s to go through.
      for (let n = 0; n < 20; n++) {
        awareness.setLocalState({ n })
        socket.send(awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID])))
      }
      awareness.destroy()
      await waitFor('the last presence at A', () => (a.provider.awareness.getStates().get(doc.clientID) as { n?: number } | undefined)?.n === 19, 20_000)
      expect(socket.closed()).toBeNull()
      expect(await metricValue(relay, 'peerboard_rejections_total', 'reason="rate_limited"')).toBeGreaterThan(throttledBefore)
      // The providers received the presence and echoed it back (y-websocket re-sends every
      // awareness change it applies): that is not theirs and must not slow or close them.
      await stillSyncs([a, b], '[after awareness flood]')
      expect(a.closeCodes).toEqual([])
      expect(b.closeCodes).toEqual([])
    })

    it('[L6] presence from many peers, each under its rate, does not get the providers that echo it closed', async () => {
      // Regression: each provider's echoes of everyone else's presence counted against its own
      // AWARENESS_PER_SECOND, so a busy room got its quiet members closed with 4429 for good.
      const [a, b] = await pair(pool, relay, 'l6-echo')
      const room = a.provider.roomname
      const ids: number[] = []
      for (let peer = 0; peer < 4; peer++) {
        const socket = await pool.rawSocket(relay, room)
        for (let i = 0; i < 3; i++) {
          const { clientId, update } = awarenessUpdateOf({ peer, i })
          ids.push(clientId)
          socket.send(awarenessFrame(update))
        }
        await answers(socket)
        expect(socket.closed()).toBeNull()
      }
      await waitFor('every presence at A and B', () =>
        ids.every((id) => a.provider.awareness.getStates().has(id) && b.provider.awareness.getStates().has(id)),
      )
      await stillSyncs([a, b], '[after busy presence]')
      expect(a.closeCodes).toEqual([])
      expect(b.closeCodes).toEqual([])
    })
  })

  describe('message rate', () => {
    let relay: RelayProcess
    beforeAll(async () => {
      relay = await relays.relay({
        env: { RATE_MESSAGES_PER_SECOND: '20', RATE_BURST_SECONDS: '1', THROTTLE_LIMIT_SECONDS: '3' },
      })
    })

    it('[L2] a socket flooding small valid frames is slowed down and served in order; another room keeps converging', async () => {
      const other = await pair(pool, relay, 'l2-other')
      const throttledBefore = await metricValue(relay, 'peerboard_rejections_total', 'reason="rate_limited"')
      const flooder = await pool.rawSocket(relay, freshRoom('l2-flood'))
      // 40 frames at 20 a second (burst 20): about a second over the rate, well under the 3 s limit.
      const sent = 40
      for (let i = 0; i < sent; i++) flooder.send(QUERY_AWARENESS)
      // Meanwhile the other room keeps working (each write is one message, well under the rate).
      const [a, b] = other
      for (let i = 0; i < 5; i++) {
        a.text.insert(a.text.length, `${i}`)
        await waitForText(b, a.text.toString())
      }
      await waitFor('every frame answered', () => awarenessAnswers(flooder) === sent, 20_000)
      expect(flooder.closed()).toBeNull()
      // Throttled (reading paused) while over the rate.
      const throttled = (await metricValue(relay, 'peerboard_rejections_total', 'reason="rate_limited"')) - throttledBefore
      expect(throttled).toBeGreaterThanOrEqual(1)
      await stillSyncs(other, '[after the flood]')
      expect(a.closeCodes).toEqual([])
      expect(b.closeCodes).toEqual([])
    })

    it('[L2] a socket that stays over its rate past THROTTLE_LIMIT_SECONDS is closed with 4529 (retryable), once', async () => {
      const flooderRoom = freshRoom('l2-endless')
      const flooder = await pool.rawSocket(relay, flooderRoom)
      // 400 frames at 20 a second would take 20 s: past the 3 s limit.
      for (let i = 0; i < 400; i++) flooder.send(QUERY_AWARENESS)
      const closed = await flooder.waitClosed()
      expect(closed.code).toBe(SLOW_DOWN)
      const served = awarenessAnswers(flooder)
      expect(served).toBeGreaterThanOrEqual(20)
      expect(served).toBeLessThan(400)
      expect(await metricValue(relay, 'peerboard_rejections_total', 'reason="over_rate_too_long"')).toBeGreaterThanOrEqual(1)
      // Closed once: the frames still in flight after the close are dropped, not each logged again.
      const closings = (): string[] =>
        relay
          .output()
          .split('\n')
          .filter((line) => line.includes(flooderRoom) && line.includes('"msg":"closing socket"'))
      // The log arrives through a pipe: wait for the line, then for the room to unload (logged after).
      await waitFor('the close to be logged', () => closings().length > 0)
      await waitFor('the flooded room to unload', () =>
        relay.output().split('\n').some((line) => line.includes(flooderRoom) && line.includes('"msg":"room unloaded"')),
      )
      expect(closings()).toHaveLength(1)
    })

    it('[L2] a y-websocket provider slowed down past the limit reconnects and its edits all arrive', async () => {
      const [a, b] = await pair(pool, relay, 'l2-provider')
      // 200 separate edits: 200 frames at 20 a second, far past the 3 s limit.
      for (let i = 0; i < 200; i++) a.text.insert(a.text.length, `${i % 10}`)
      await waitForText(b, a.text.toString(), 30_000)
      expect(a.closeCodes).toContain(SLOW_DOWN)
      expect(a.provider.shouldConnect).toBe(true)
      expect(b.closeCodes).toEqual([])
    })

    it('[L2] a socket that stays under its rate is never closed', async () => {
      const socket = await pool.rawSocket(relay, freshRoom('l2-polite'))
      for (let i = 0; i < 10; i++) await answers(socket)
      expect(socket.closed()).toBeNull()
    })
  })

  describe('connections per address', () => {
    let relay: RelayProcess
    beforeAll(async () => {
      relay = await relays.relay({ env: { MAX_CONNECTIONS_PER_IP: '2', MAX_MESSAGE_BYTES: '1024' } })
    })

    it('[L3] MAX_CONNECTIONS_PER_IP=2: the third socket from 127.0.0.1 is closed with 4530 (retryable); the first two keep working', async () => {
      const room = freshRoom('l3')
      const first = await pool.rawSocket(relay, room)
      const second = await pool.rawSocket(relay, room)
      const third = await pool.rawSocket(relay, room)
      expect((await third.waitClosed()).code).toBe(TOO_MANY_CONNECTIONS)
      // The first two are in the room together: an update from one reaches the other.
      first.send(updateFrame(textUpdate('between the first two')))
      await waitFor('the update at the second socket', () =>
        second.frames.some((f) => messageType(f) === 0 && readSyncFrame(f).syncType === 2),
      )
      await answers(first)
      await answers(second)
      expect(first.closed()).toBeNull()
      expect(second.closed()).toBeNull()
      expect((await getHealth(relay)).connections).toBe(2)

      // Once one leaves, a new socket is admitted again.
      first.ws.close()
      await waitFor('the first socket to be gone', async () => (await getHealth(relay)).connections === 1)
      const fourth = await pool.rawSocket(relay, room)
      await answers(fourth)
      expect(fourth.closed()).toBeNull()
    })

    it('[L3] a refused socket that sends an oversize frame before its close completes does not take the relay down', async () => {
      const room = freshRoom('l3-crash')
      await pool.rawSocket(relay, room)
      await pool.rawSocket(relay, room)
      for (let i = 0; i < 3; i++) {
        const url = `${relay.wsUrl}/${room}`
        const refused = await openRawSocket(url)
        refused.send(new Uint8Array(4096).fill(7))
        await refused.waitClosed()
        refused.ws.terminate()
      }
      expect((await getHealth(relay)).status).toBe('ok')
      expect(relay.child.exitCode).toBeNull()
    })
  })

  describe('rooms in memory', () => {
    let relay: RelayProcess
    beforeAll(async () => {
      relay = await relays.relay({ env: { MAX_ROOMS: '1' } })
    })

    it('[L4] MAX_ROOMS=1: a socket for a second room is closed with 4531 (retryable) while the first room works', async () => {
      const first = await pair(pool, relay, 'l4-first')
      const intruder = await pool.rawSocket(relay, freshRoom('l4-second'))
      expect((await intruder.waitClosed()).code).toBe(ROOM_CAPACITY)
      // A provider for another room is told to come back later, and keeps trying.
      const late = pool.client(relay, freshRoom('l4-third'))
      await waitFor('the late provider to be closed', () => late.closeCodes.length > 0)
      expect(late.closeCodes[0]).toBe(ROOM_CAPACITY)
      expect(late.provider.shouldConnect).toBe(true)
      late.destroy()

      await stillSyncs(first, '[after L4]')
      // More sockets for the room already in memory are fine.
      const joiner = await pool.rawSocket(relay, first[0].provider.roomname)
      await answers(joiner)
      expect(await getHealth(relay)).toMatchObject({ rooms: 1, connections: 3 })
    })

    it('[L4] once the room in memory unloads, another room can be opened', async () => {
      await waitFor('no room in memory', async () => (await getHealth(relay)).rooms === 0)
      const [a, b] = await pair(pool, relay, 'l4-next')
      await stillSyncs([a, b], '[next room]')
    })
  })
})
