import * as encoding from 'lib0/encoding'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { isPolicyCode } from '../helpers/relayFuzzRun'
import { relayRssMiB } from '../helpers/relayMemory'
import type { RelayProcess } from '../helpers/relayProcess'
import {
  createPool,
  freshRoom,
  messageType,
  openRawSocket,
  readAwarenessFrame,
  waitForText,
  waitSynced,
  type RawSocket,
  type SyncClient,
} from '../helpers/syncClients'
import { waitFor } from '../helpers/wait'
import { awarenessFrame, QUERY_AWARENESS } from '../helpers/wireFrames'

/**
 * [Y8] Awareness hygiene. Awareness frames within the size and rate limits can still carry very
 * many entries; the relay must keep the number of entries it holds bounded (per socket and per
 * room, not only bytes), drop null states for ids it does not know (they only make it remember
 * the id), and prune a socket's entries when it leaves. Against the real relay with its default
 * limits (MAX_AWARENESS_BYTES 64 KiB, AWARENESS_PER_SECOND 20 with a 10 s burst: each flooding
 * socket below sends at most 150 frames, then the next one takes over).
 *
 * Memory is judged from /metrics (process_resident_memory_bytes), by its peak over the flood,
 * with a generous bound: the unbounded relay went from ~100 to ~380 MiB for 2.6 million ids.
 */

/** Entries per frame: ~11 bytes each as null states (ids past 2^28 take 5 bytes), under 64 KiB. */
const NULL_ENTRIES = 5_000
const FRAMES_PER_SOCKET = 150
const NULL_SOCKETS = 4
const RSS_GROWTH_MIB = 150
/** Real states from one socket (the unbounded relay keeps every one). */
const STATES_PER_SOCKET = 60_000
const STATE_ENTRIES = 1_200

/** An awareness update with one entry per id, each with `state` (a JSON string) at clock 1. */
const entries = (ids: readonly number[], state: (id: number) => string): Uint8Array => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, ids.length)
  for (const id of ids) {
    encoding.writeVarUint(encoder, id)
    encoding.writeVarUint(encoder, 1)
    encoding.writeVarString(encoder, state(id))
  }
  return encoding.toUint8Array(encoder)
}

const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i)

/** A SyncStep1 for an empty state vector: the relay answers it in order with a (small) SyncStep2. */
const PING = Uint8Array.from([0, 0, 1, 0])
const pingAnswers = (socket: RawSocket): number => socket.frames.filter((f) => f[0] === 0 && f[1] === 1).length

/**
 * The ids whose states the room holds, as a newcomer sees them: the relay greets a new socket with
 * every state it holds (and answers query-awareness with the same), before anything else.
 */
const heldIds = async (relay: RelayProcess, room: string): Promise<Set<number>> => {
  const socket = await openRawSocket(`${relay.wsUrl}/${room}`)
  try {
    socket.send(QUERY_AWARENESS)
    const first = (await waitFor('the room\'s presence', () => socket.frames.find((f) => messageType(f) === 1), 30_000)) as Uint8Array
    return new Set(readAwarenessFrame(first).keys())
  } finally {
    socket.ws.terminate()
  }
}

describe('[Y8] awareness floods', () => {
  const pool = createPool()
  const relays = createPool()
  afterEach(() => pool.clear())
  afterAll(() => relays.clear())

  const watchers = async (relay: RelayProcess, room: string): Promise<[SyncClient, SyncClient]> => {
    const a = pool.client(relay, room)
    const b = pool.client(relay, room)
    await Promise.all([waitSynced(a), waitSynced(b)])
    a.provider.awareness.setLocalStateField('user', { name: 'a' })
    b.provider.awareness.setLocalStateField('user', { name: 'b' })
    return [a, b]
  }

  /** Sends `frames` from one socket, each followed by a ping (answered in order); stops at a close. */
  const send = async (socket: RawSocket, frames: readonly Uint8Array[]): Promise<number> => {
    let taken = 0
    for (const frame of frames) {
      const before = pingAnswers(socket)
      socket.send(frame)
      socket.send(PING)
      await waitFor('a ping answer or a close', () => pingAnswers(socket) > before || socket.closed() !== null, 30_000)
      if (pingAnswers(socket) === before) break
      taken++
    }
    return taken
  }

  it('[Y8] null states for millions of new ids leave memory flat, and the room keeps working', async () => {
    const relay = await relays.relay()
    const room = freshRoom('y8-null')
    const [a, b] = await watchers(relay, room)
    const rssBefore = await relayRssMiB(relay)
    let peak = rssBefore
    const closes: number[] = []
    let taken = 0
    let next = 0x1000_0000
    for (let s = 0; s < NULL_SOCKETS; s++) {
      const socket = await pool.rawSocket(relay, room)
      for (let f = 0; f < FRAMES_PER_SOCKET && socket.closed() === null; f += 10) {
        const frames = Array.from({ length: 10 }, () => {
          const ids = range(next, NULL_ENTRIES)
          next += NULL_ENTRIES
          return awarenessFrame(entries(ids, () => 'null'))
        })
        expect(frames[0]?.byteLength).toBeLessThan(64 * 1024)
        taken += await send(socket, frames)
        peak = Math.max(peak, await relayRssMiB(relay))
      }
      const closed = socket.closed()
      if (closed !== null) closes.push(closed.code)
      socket.ws.terminate()
    }
    console.log(`[Y8] null states: ${taken} frames (${taken * NULL_ENTRIES} ids) taken, closes ${closes.join(',') || 'none'}, RSS ${Math.round(rssBefore)} -> peak ${Math.round(peak)} MiB`)
    expect.soft(closes.every(isPolicyCode), `sockets closed only with permanent codes (got ${closes.join(',')})`).toBe(true)
    expect.soft(peak - rssBefore, 'peak RSS growth in MiB').toBeLessThan(RSS_GROWTH_MIB)
    // The room works, its members' presence is intact, and nobody honest was closed.
    a.text.insert(0, 'still here')
    await waitForText(b, 'still here')
    await waitFor('each watcher to see the other', () => a.provider.awareness.getStates().has(b.doc.clientID) && b.provider.awareness.getStates().has(a.doc.clientID))
    expect([a, b].flatMap((c) => c.closeCodes)).toEqual([])
  }, 300_000)

  it('[Y8] one socket cannot make the room hold tens of thousands of states; they go when it leaves', async () => {
    const relay = await relays.relay()
    const room = freshRoom('y8-states')
    const [a, b] = await watchers(relay, room)
    const rssBefore = await relayRssMiB(relay)
    const flooder = await pool.rawSocket(relay, room)
    const sent = range(0x2000_0000, STATES_PER_SOCKET)
    const frames: Uint8Array[] = []
    for (let i = 0; i < sent.length; i += STATE_ENTRIES) {
      frames.push(awarenessFrame(entries(sent.slice(i, i + STATE_ENTRIES), (id) => JSON.stringify({ user: { name: `n${id}` } }))))
    }
    expect(frames.length).toBeLessThan(FRAMES_PER_SOCKET)
    expect(frames[0]?.byteLength).toBeLessThan(64 * 1024)
    const taken = await send(flooder, frames)
    const held = await heldIds(relay, room)
    const heldFromFlood = sent.filter((id) => held.has(id)).length
    const peak = await relayRssMiB(relay)
    console.log(`[Y8] real states: ${taken} of ${frames.length} frames taken, the room holds ${heldFromFlood} of ${sent.length} ids, closed ${flooder.closed()?.code ?? 'no'}, RSS ${Math.round(rssBefore)} -> ${Math.round(peak)} MiB`)
    expect.soft(flooder.closed() === null || isPolicyCode(flooder.closed()?.code ?? 0), `closed with ${flooder.closed()?.code}`).toBe(true)
    expect.soft(heldFromFlood, 'states the room holds from one socket').toBeLessThan(STATES_PER_SOCKET / 2)
    expect.soft(a.provider.awareness.getStates().size, 'states a watcher was sent').toBeLessThan(STATES_PER_SOCKET / 2)

    // When the flooder leaves, whatever of its presence the room kept goes.
    flooder.ws.close()
    await waitFor('the flooder\'s states to be pruned', async () => {
      const now = await heldIds(relay, room)
      return sent.every((id) => !now.has(id))
    }, 30_000)
    await waitFor('the watchers to drop them too', () => sent.every((id) => !a.provider.awareness.getStates().has(id) && !b.provider.awareness.getStates().has(id)), 30_000)
    expect([a, b].flatMap((c) => c.closeCodes)).toEqual([])
  }, 300_000)

  it('[Y8] many sockets, each under its own cap, cannot make the room hold tens of thousands of states', async () => {
    const relay = await relays.relay()
    const room = freshRoom('y8-room-cap')
    const [a] = await watchers(relay, room)
    const sockets: RawSocket[] = []
    const sent: number[] = []
    for (let s = 0; s < 20; s++) {
      const socket = await pool.rawSocket(relay, room)
      sockets.push(socket)
      const ids = range(0x3000_0000 + s * 10_000, 3_000)
      sent.push(...ids)
      const frames = [0, 1, 2].map((i) => awarenessFrame(entries(ids.slice(i * 1000, (i + 1) * 1000), (id) => JSON.stringify({ user: { name: `s${id}` } }))))
      await send(socket, frames)
    }
    const held = await heldIds(relay, room)
    const heldFromFlood = sent.filter((id) => held.has(id)).length
    const closes = sockets.map((s) => s.closed()?.code).filter((c): c is number => c !== undefined)
    console.log(`[Y8] 20 sockets x 3000 states: the room holds ${heldFromFlood} of ${sent.length}, closes ${closes.join(',') || 'none'}`)
    expect.soft(closes.every(isPolicyCode), `closed with ${closes.join(',')}`).toBe(true)
    expect.soft(heldFromFlood, 'states the room holds from 20 sockets').toBeLessThan(sent.length / 2)
    for (const socket of sockets) socket.ws.close()
    await waitFor('the flood\'s states to be pruned', async () => {
      const now = await heldIds(relay, room)
      return sent.every((id) => !now.has(id))
    }, 30_000)
    expect(a.closeCodes).toEqual([])
  }, 300_000)

  it('[Y8] a socket\'s presence is pruned when it leaves, closed cleanly or not', async () => {
    const relay = await relays.relay()
    const room = freshRoom('y8-prune')
    const [a, b] = await watchers(relay, room)
    for (const leave of ['close', 'terminate'] as const) {
      const socket = await openRawSocket(`${relay.wsUrl}/${room}`)
      const ids = range(leave === 'close' ? 0x4000_0000 : 0x4100_0000, 5)
      socket.send(awarenessFrame(entries(ids, (id) => JSON.stringify({ user: { name: `p${id}` } }))))
      await waitFor(`the watchers to see the ${leave} socket's presence`, () => ids.every((id) => a.provider.awareness.getStates().has(id) && b.provider.awareness.getStates().has(id)))
      if (leave === 'close') socket.ws.close()
      else socket.ws.terminate()
      await waitFor(`the ${leave} socket's presence to be removed`, () => ids.every((id) => !a.provider.awareness.getStates().has(id) && !b.provider.awareness.getStates().has(id)), 30_000)
      const held = await heldIds(relay, room)
      expect(ids.filter((id) => held.has(id))).toEqual([])
    }
    expect([a, b].flatMap((c) => c.closeCodes)).toEqual([])
  }, 120_000)
})
