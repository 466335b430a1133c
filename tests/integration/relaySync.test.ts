import * as awarenessProtocol from 'y-protocols/awareness'
import * as encoding from 'lib0/encoding'
import { once } from 'node:events'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import type { RelayProcess } from '../helpers/relayProcess'
import {
  createPool,
  freshRoom,
  getHealth,
  messageType,
  readAwarenessFrame,
  readSyncFrame,
  waitForText,
  waitForValue,
  waitSynced,
} from '../helpers/syncClients'
import { waitFor } from '../helpers/wait'

/** [Y1] The unmodified y-websocket client syncs through the real relay process. */
describe('relay sync protocol', () => {
  const relays = createPool()
  const pool = createPool()
  let relay: RelayProcess

  beforeAll(async () => {
    relay = await relays.relay()
  })
  afterEach(() => pool.clear())
  afterAll(() => relays.clear())

  it('[Y1] two providers in one room converge: text written on each appears on both', async () => {
    const room = freshRoom('y1-converge')
    const a = pool.client(relay, room)
    const b = pool.client(relay, room)
    await Promise.all([waitSynced(a), waitSynced(b)])

    a.text.insert(0, 'written on A. ')
    await waitForText(b, 'written on A. ')
    b.text.insert(b.text.length, 'written on B.')
    await waitForText(a, 'written on A. written on B.')

    // Concurrent edits from both sides merge to the same text everywhere.
    a.text.insert(0, '[a]')
    b.text.insert(b.text.length, '[b]')
    await waitFor('both sides to merge', () => a.text.toString() === b.text.toString() && a.text.length > 30)
    expect(a.text.toString()).toBe('[a]written on A. written on B.[b]')
  })

  it('[Y1] a provider that joins later receives everything written before it came', async () => {
    const room = freshRoom('y1-late')
    const a = pool.client(relay, room)
    await waitSynced(a)
    for (let i = 0; i < 20; i++) a.text.insert(a.text.length, `${i};`)
    a.doc.getMap('meta').set('title', 'late joiner')
    const expected = a.text.toString()

    const b = pool.client(relay, room)
    await waitSynced(b)
    await waitForText(b, expected)
    expect(b.doc.getMap('meta').get('title')).toBe('late joiner')
  })

  it('[Y1] edits made before connecting are sent on connect (the relay answers SyncStep1 both ways)', async () => {
    const room = freshRoom('y1-offline-first')
    const offlineDoc = new Y.Doc()
    offlineDoc.getText('text').insert(0, 'typed while offline')
    const b = pool.client(relay, room)
    await waitSynced(b)
    pool.client(relay, room, offlineDoc)
    await waitForText(b, 'typed while offline')
  })

  it('[Y1] rooms are isolated: an update in one room never reaches another', async () => {
    const roomA = freshRoom('y1-isolated-a')
    const roomB = freshRoom('y1-isolated-b')
    const a1 = pool.client(relay, roomA)
    const a2 = pool.client(relay, roomA)
    const b = pool.client(relay, roomB)
    await Promise.all([waitSynced(a1), waitSynced(a2), waitSynced(b)])
    a1.text.insert(0, 'only in A')
    await waitForText(a2, 'only in A')
    // b's room got nothing; a write in b's room proves b is connected and reachable.
    b.text.insert(0, 'only in B')
    const b2 = pool.client(relay, roomB)
    await waitForText(b2, 'only in B')
    expect(b.text.toString()).toBe('only in B')
    expect(a2.text.toString()).toBe('only in A')
  })

  it('[Y1] awareness from one provider reaches the other, and leaves with its socket', async () => {
    const room = freshRoom('y1-awareness')
    const a = pool.client(relay, room)
    const b = pool.client(relay, room)
    await Promise.all([waitSynced(a), waitSynced(b)])

    a.provider.awareness.setLocalStateField('user', { name: 'Ada' })
    await waitFor('B to see A’s presence', () => {
      const state = b.provider.awareness.getStates().get(a.doc.clientID) as { user?: { name?: string } } | undefined
      return state?.user?.name === 'Ada'
    })
    b.provider.awareness.setLocalStateField('user', { name: 'Ben' })
    await waitFor('A to see B’s presence', () => {
      const state = a.provider.awareness.getStates().get(b.doc.clientID) as { user?: { name?: string } } | undefined
      return state?.user?.name === 'Ben'
    })

    // A third provider joining later is greeted with both presences.
    const c = pool.client(relay, room)
    await waitFor('C to see A and B', () => {
      const states = c.provider.awareness.getStates()
      return states.has(a.doc.clientID) && states.has(b.doc.clientID)
    })

    a.destroy()
    await waitFor('B to drop A’s presence', () => !b.provider.awareness.getStates().has(a.doc.clientID))
  })

  it('[Y1] presence announced on a socket that dies without saying goodbye is removed by the relay', async () => {
    const room = freshRoom('y1-awareness-drop')
    const b = pool.client(relay, room)
    await waitSynced(b)

    const ghost = new Y.Doc()
    const ghostAwareness = new awarenessProtocol.Awareness(ghost)
    ghostAwareness.setLocalState({ user: { name: 'Ghost' } })
    const frame = encoding.createEncoder()
    encoding.writeVarUint(frame, 1)
    encoding.writeVarUint8Array(frame, awarenessProtocol.encodeAwarenessUpdate(ghostAwareness, [ghost.clientID]))
    ghostAwareness.destroy()

    const raw = await pool.rawSocket(relay, room)
    raw.send(encoding.toUint8Array(frame))
    await waitFor('B to see the ghost', () => b.provider.awareness.getStates().has(ghost.clientID))
    raw.ws.terminate()
    await waitFor('B to drop the ghost', () => !b.provider.awareness.getStates().has(ghost.clientID))
  })

  it('[Y1] the relay greets with SyncStep1 and answers SyncStep1 with SyncStep2 (raw socket)', async () => {
    const room = freshRoom('y1-raw-sync')
    const a = pool.client(relay, room)
    await waitSynced(a)
    a.text.insert(0, 'served over a raw socket')
    const b = pool.client(relay, room)
    await waitForText(b, 'served over a raw socket')

    const raw = await pool.rawSocket(relay, room)
    await waitFor('the greeting', () => raw.frames.length > 0)
    const greeting = readSyncFrame(raw.frames[0] as Uint8Array)
    expect(greeting.syncType).toBe(0)
    expect(Y.decodeStateVector(greeting.payload).get(a.doc.clientID)).toBe(a.text.length)

    const step1 = encoding.createEncoder()
    encoding.writeVarUint(step1, 0)
    encoding.writeVarUint(step1, 0)
    encoding.writeVarUint8Array(step1, Y.encodeStateVector(new Y.Doc()))
    raw.send(encoding.toUint8Array(step1))
    const step2Frame = await waitForValue('SyncStep2', () =>
      raw.frames.find((frame) => messageType(frame) === 0 && readSyncFrame(frame).syncType === 1),
    )
    const fromRelay = new Y.Doc()
    Y.applyUpdate(fromRelay, readSyncFrame(step2Frame).payload)
    expect(fromRelay.getText('text').toString()).toBe('served over a raw socket')
  })

  it('[Y1] query-awareness on a raw socket is answered with an awareness frame of everyone present', async () => {
    const room = freshRoom('y1-query-awareness')
    // An empty room: the greeting is SyncStep1 only, so any awareness frame is the answer.
    const asker = await pool.rawSocket(relay, room)
    await waitFor('the greeting', () => asker.frames.length === 1)
    asker.send([3])
    const emptyAnswer = await waitForValue('an awareness answer', () =>
      asker.frames.find((frame) => messageType(frame) === 1),
    )
    expect(readAwarenessFrame(emptyAnswer).size).toBe(0)

    // Someone announces presence (a hand-made update, so nothing renews it behind our back) ...
    const other = new Y.Doc()
    const otherAwareness = new awarenessProtocol.Awareness(other)
    otherAwareness.setLocalState({ user: { name: 'Cleo' } })
    const announce = encoding.createEncoder()
    encoding.writeVarUint(announce, 1)
    encoding.writeVarUint8Array(announce, awarenessProtocol.encodeAwarenessUpdate(otherAwareness, [other.clientID]))
    otherAwareness.destroy()
    const announcer = await pool.rawSocket(relay, room)
    announcer.send(encoding.toUint8Array(announce))
    const awarenessFrames = (): Uint8Array[] => asker.frames.filter((frame) => messageType(frame) === 1)
    await waitFor('the relayed announcement', () => awarenessFrames().length === 2)

    // ... and the next query is answered with it.
    asker.send([3])
    await waitFor('a second answer', () => awarenessFrames().length === 3)
    const answer = readAwarenessFrame(awarenessFrames()[2] as Uint8Array)
    expect([...answer.keys()]).toEqual([other.clientID])
    expect(answer.get(other.clientID)).toEqual({ user: { name: 'Cleo' } })
    expect(asker.closed()).toBeNull()
  })
})

/** [Y4] A socket that stops answering pings is dropped like one that left: presence and room go with it. */
describe('relay keep-alive', () => {
  const pool = createPool()
  afterAll(() => pool.clear())

  it('[Y4] a socket that never answers a ping is dropped; live providers are not', async () => {
    const relay = await pool.relay({ env: { PING_INTERVAL_MS: '1000' } })
    const room = freshRoom('y4-ping')
    const live = pool.client(relay, room)
    await waitSynced(live)

    const silentDoc = new Y.Doc()
    const silentAwareness = new awarenessProtocol.Awareness(silentDoc)
    silentAwareness.setLocalState({ user: { name: 'Silent' } })
    const announce = encoding.createEncoder()
    encoding.writeVarUint(announce, 1)
    encoding.writeVarUint8Array(announce, awarenessProtocol.encodeAwarenessUpdate(silentAwareness, [silentDoc.clientID]))
    silentAwareness.destroy()
    const silent = new WebSocket(`${relay.wsUrl}/${freshRoom('y4-ping-silent')}`, { autoPong: false })
    const silentInRoom = new WebSocket(`${relay.wsUrl}/${room}`, { autoPong: false })
    const closes: number[] = []
    for (const socket of [silent, silentInRoom]) {
      socket.on('error', () => {})
      socket.on('close', (code: number) => closes.push(code))
    }
    await Promise.all([once(silent, 'open'), once(silentInRoom, 'open')])
    silentInRoom.send(encoding.toUint8Array(announce))
    await waitFor('the live provider to see the silent presence', () =>
      live.provider.awareness.getStates().has(silentDoc.clientID),
    )

    await waitFor('both silent sockets to be dropped', () => closes.length === 2)
    await waitFor('the silent presence to be removed', () => !live.provider.awareness.getStates().has(silentDoc.clientID))
    // The silent socket's own room had no one else: it is unloaded. The live room stays.
    await waitFor('only the live room to remain', async () => (await getHealth(relay)).rooms === 1)
    expect(live.closeCodes).toEqual([])
    expect(live.provider.wsconnected).toBe(true)
  })
})
