import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { RelayProcess } from '../helpers/relayProcess'
import {
  createPool,
  freshRoom,
  getHealth,
  messageType,
  readSyncFrame,
  storedDoc,
  waitForText,
  waitForValue,
  waitSynced,
  type SyncClient,
} from '../helpers/syncClients'
import { waitFor } from '../helpers/wait'

const MALFORMED = 4400
const UNKNOWN_TYPE = 4401

/** A small seeded generator (mulberry32), so a failing frame can be replayed from its seed. */
const random = (seed: number): (() => number) => {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** [Y3] A bad frame closes only the socket that sent it. */
describe('relay against bad frames', () => {
  const relays = createPool()
  const pool = createPool()
  let relay: RelayProcess

  beforeAll(async () => {
    relay = await relays.relay({ env: { MAX_MESSAGE_BYTES: '4096' } })
  })
  afterEach(() => pool.clear())
  afterAll(() => relays.clear())

  /** Two providers in a room, synced, that must keep working whatever else happens. */
  const bystanders = async (label: string): Promise<[SyncClient, SyncClient]> => {
    const room = freshRoom(label)
    const a = pool.client(relay, room)
    const b = pool.client(relay, room)
    await Promise.all([waitSynced(a), waitSynced(b)])
    return [a, b]
  }

  /** A writes, B must receive it: the room still syncs. */
  const stillSyncs = async ([a, b]: [SyncClient, SyncClient], marker: string): Promise<void> => {
    a.text.insert(a.text.length, marker)
    await waitForText(b, a.text.toString())
  }

  const cases: { name: string; frame: Uint8Array | string; code: number }[] = [
    { name: 'a sync frame whose length runs past its end', frame: Uint8Array.from([0, 1, 255, 255, 255, 255, 15]), code: MALFORMED },
    { name: 'an unknown message type', frame: Uint8Array.from([9]), code: UNKNOWN_TYPE },
    { name: 'an auth message (relay -> client only)', frame: Uint8Array.from([2, 0]), code: UNKNOWN_TYPE },
    { name: 'an unknown sync message type', frame: Uint8Array.from([0, 7, 0]), code: UNKNOWN_TYPE },
    { name: 'an Update that is not a Yjs update', frame: Uint8Array.from([0, 2, 10, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7]), code: MALFORMED },
    { name: 'a SyncStep2 that is not a Yjs update', frame: Uint8Array.from([0, 1, 5, 255, 255, 255, 255, 15]), code: MALFORMED },
    { name: 'a SyncStep1 whose state vector does not decode', frame: Uint8Array.from([0, 0, 3, 5, 1, 200]), code: MALFORMED },
    { name: 'a truncated awareness update', frame: Uint8Array.from([1, 5, 1]), code: MALFORMED },
    { name: 'an awareness update whose state is not JSON', frame: Uint8Array.from([1, 6, 1, 2, 3, 2, 123, 123]), code: MALFORMED },
    { name: 'an empty binary frame', frame: new Uint8Array(0), code: MALFORMED },
    { name: 'a text frame', frame: 'hello relay', code: MALFORMED },
  ]

  it.each(cases)('[Y3] $name closes only that socket with $code', async ({ frame, code }) => {
    const sameRoom = await bystanders('y3-case')
    const otherRoom = await bystanders('y3-other')
    const [a] = sameRoom
    const innocent = await pool.rawSocket(relay, a.provider.roomname)
    const offender = await pool.rawSocket(relay, a.provider.roomname)

    offender.ws.send(frame)
    const closed = await offender.waitClosed()
    expect(closed.code).toBe(code)

    // Everyone else carries on: providers in the same room and in another room, and a raw socket.
    await stillSyncs(sameRoom, '[after bad frame]')
    await stillSyncs(otherRoom, '[after bad frame]')
    await waitFor('the innocent socket to get the update', () =>
      innocent.frames.some((f) => messageType(f) === 0 && readSyncFrame(f).syncType === 2),
    )
    expect(innocent.closed()).toBeNull()
    expect(sameRoom.every((client) => client.closeCodes.length === 0)).toBe(true)
    expect((await getHealth(relay)).status).toBe('ok')
    expect(relay.child.exitCode).toBeNull()
  })

  it('[Y3] a bad state vector sent to a cold room (answered from its stored snapshot) closes only that socket', async () => {
    const room = freshRoom('y3-cold')
    const writer = pool.client(relay, room)
    await waitSynced(writer)
    writer.text.insert(0, 'stored before the room unloaded')
    await waitFor('the write to be stored', () =>
      storedDoc(relay.dataDir, room).getText('text').toString() === 'stored before the room unloaded',
    )
    writer.destroy()
    await waitFor('the room to unload', async () => (await getHealth(relay)).rooms === 0)

    const offender = await pool.rawSocket(relay, room)
    offender.ws.send(Uint8Array.from([0, 0, 3, 5, 1, 200]))
    expect((await offender.waitClosed()).code).toBe(MALFORMED)
    const reader = pool.client(relay, room)
    await waitForText(reader, 'stored before the room unloaded')
    expect(relay.child.exitCode).toBeNull()
  })

  it('[Y3] a permanent close code stops the y-websocket client from reconnecting', async () => {
    // The close codes are chosen so that the unmodified client gives up instead of retrying.
    const [a] = await bystanders('y3-permanent')
    const closed: number[] = []
    a.provider.on('closed', (event) => closed.push(event.code))
    const ws = a.provider.ws
    if (ws === null) throw new Error('provider has no socket')
    ws.send(Uint8Array.from([9]))
    await waitFor('the provider to give up', () => closed.length === 1)
    expect(closed).toEqual([UNKNOWN_TYPE])
    expect(a.provider.shouldConnect).toBe(false)
  })

  it('[Y3] seeded random frames close at most their own socket and never take the relay down', async () => {
    // A seed that ever fails is kept as its own named case above.
    const pair = await bystanders('y3-fuzz-bystanders')
    const seeds = Array.from({ length: 40 }, (_, i) => 1000 + i)
    for (const seed of seeds) {
      const next = random(seed)
      const length = 1 + Math.floor(next() * 40)
      const bytes = Array.from({ length }, () => Math.floor(next() * 256))
      // Half the frames are wrapped as a sync Update, so they reach the Yjs decoder.
      const frame = seed % 2 === 0 ? Uint8Array.from(bytes) : Uint8Array.from([0, 2, length, ...bytes])
      // A fresh, empty room per frame: the greeting is exactly one SyncStep1, so any awareness
      // frame after it comes after the random frame was handled.
      const socket = await pool.rawSocket(relay, freshRoom('y3-fuzz'))
      await waitFor(`seed ${seed}: the greeting`, () => socket.frames.length > 0)
      socket.send(frame)
      // Either the socket is closed with a permanent code, or the frame was accepted and the socket
      // still answers (query-awareness is handled in order, after the random frame).
      socket.send([3])
      const outcome = await waitForValue(`seed ${seed}: a close or an answer`, () =>
        socket.closed() ?? (socket.frames.slice(1).some((f) => messageType(f) === 1) ? 'answered' : null),
      )
      if (outcome !== 'answered') expect([MALFORMED, UNKNOWN_TYPE], `seed ${seed}`).toContain(outcome.code)
      socket.ws.terminate()
    }
    await stillSyncs(pair, '[after fuzz]')
    expect((await getHealth(relay)).status).toBe('ok')
  })

  it('[L1] a frame larger than MAX_MESSAGE_BYTES closes only that socket with 4413', async () => {
    const pair = await bystanders('y3-too-large')
    const offender = await pool.rawSocket(relay, pair[0].provider.roomname)
    offender.send(new Uint8Array(8192).fill(1))
    const closed = await offender.waitClosed()
    // ws refuses the frame before buffering it; the relay's sockets report that with the
    // permanent 4413, so y-websocket does not resend it forever (SPEC [L1]).
    expect(closed.code).toBe(4413)
    await stillSyncs(pair, '[after a big frame]')
    expect((await getHealth(relay)).status).toBe('ok')
  })
})
