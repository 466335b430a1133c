import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../server/src/log'
import * as encoding from 'lib0/encoding'
import { readAwarenessEntries, type AwarenessEntry } from '../../server/src/relay/awarenessEntries'
import { NO_OBSERVER } from '../../server/src/relay/RelayObserver'
import { Room, type RoomOptions, type RoomPeer } from '../../server/src/relay/Room'
import { SqliteDocStore } from '../../server/src/storage/SqliteDocStore'

/** [Y8] Presence in a room: caps per socket and per room, no records of what is not present. */

const OPTIONS: RoomOptions = {
  compactAfterUpdates: 500,
  compactAfterBytes: 1024 * 1024,
  maxDocBytes: 1024 * 1024,
  maxPendingBytes: 4096,
  maxPendingBytesPerSocket: 2048,
  maxAwarenessPerSocket: 4,
  maxAwarenessPerRoom: 6,
}

const cleanup: (() => void)[] = []
afterEach(() => {
  for (const step of cleanup.splice(0)) step()
})

const openRoom = (): Room => {
  const dir = mkdtempSync(join(tmpdir(), 'peerboard-presence-'))
  const store = new SqliteDocStore(dir)
  const room = new Room('room', store, OPTIONS, NO_OBSERVER, createLogger('error', () => undefined))
  cleanup.push(() => {
    room.close()
    store.close()
    rmSync(dir, { recursive: true, force: true })
  })
  return room
}

const peer = (room: Room): RoomPeer & { frames: Uint8Array[] } => {
  const frames: Uint8Array[] = []
  const p = { awarenessIds: new Set<number>(), pendingBytes: 0, pendingEpoch: 0, frames, send: (f: Uint8Array) => frames.push(f), sendSaved: () => undefined }
  room.peers.add(p)
  return p
}

const state = (clientId: number, clock: number, value: unknown): AwarenessEntry => {
  const json = JSON.stringify(value)
  return { clientId, clock, json, state: value, removal: value === null }
}

/** The entries as a y-protocols awareness update. */
const encoded = (entries: readonly AwarenessEntry[]): Uint8Array => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId)
    encoding.writeVarUint(encoder, entry.clock)
    encoding.writeVarString(encoder, entry.json)
  }
  return encoding.toUint8Array(encoder)
}

describe('[Y8] presence hygiene', () => {
  it('[Y8] awareness entries read back as written; a state that is not JSON does not read', () => {
    const entries = [state(1, 3, { name: 'Ada' }), state(2, 1, null)]
    expect(readAwarenessEntries(encoded(entries))).toEqual(entries)
    expect(() => readAwarenessEntries(Uint8Array.from([1, 1, 1, 3, 123, 123, 123]))).toThrow()
  })

  it('[Y8] removals of client ids the room does not hold leave no record', () => {
    const room = openRoom()
    const a = peer(room)
    const removals = Array.from({ length: 5000 }, (_, i) => state(1000 + i, 5, null))
    room.applyAwareness(removals, a)
    expect(room.awareness.states.size).toBe(0)
    expect(room.awareness.meta.size).toBe(1) // the relay's own (empty) entry
    expect(a.frames).toHaveLength(0)
  })

  it('[Y8] a socket announces at most MAX_AWARENESS_PER_SOCKET ids; the room holds at most MAX_AWARENESS_PER_ROOM', () => {
    const room = openRoom()
    const a = peer(room)
    const b = peer(room)
    expect(room.applyAwareness(Array.from({ length: 10 }, (_, i) => state(100 + i, 1, { i })), a)).toBe(6)
    expect(a.awarenessIds.size).toBe(4)
    expect(room.applyAwareness(Array.from({ length: 4 }, (_, i) => state(200 + i, 1, { i })), b)).toBe(2)
    expect(room.awareness.states.size).toBe(6)
    // Renewing a present id is always fine.
    expect(room.applyAwareness([state(100, 2, { renewed: true })], a)).toBe(0)
    expect(room.awareness.states.get(100)).toEqual({ renewed: true })
    // An older clock changes nothing; the relay's own id is not a client's to set.
    room.applyAwareness([state(100, 1, { stale: true }), state(room.awareness.clientID, 9, { relay: true })], a)
    expect(room.awareness.states.get(100)).toEqual({ renewed: true })
    expect(room.awareness.states.has(room.awareness.clientID)).toBe(false)
  })

  it('[Y8] a socket that leaves takes its presence and its records with it', () => {
    const room = openRoom()
    const a = peer(room)
    const b = peer(room)
    room.applyAwareness([state(100, 1, { a: true }), state(101, 1, { a: true })], a)
    room.applyAwareness([state(200, 1, { b: true })], b)
    room.removePeer(a)
    expect([...room.awareness.states.keys()]).toEqual([200])
    expect(room.awareness.meta.has(100)).toBe(false)
    expect(room.awareness.meta.has(101)).toBe(false)
    // b heard that a's presence left.
    expect(b.frames.length).toBeGreaterThan(0)
  })
})
