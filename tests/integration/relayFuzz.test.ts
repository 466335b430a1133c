import { afterAll, beforeAll, describe, expect, expect as globalExpect, it, type ExpectStatic } from 'vitest'
import * as Y from 'yjs'
import { AllowedContent } from '../helpers/allowedContent'
import { docFingerprint } from '../helpers/docFingerprint'
import { fuzzCase } from '../helpers/frameFuzzer'
import { recordSession, syncFrame } from '../helpers/frameRecorder'
import { FuzzSocket } from '../helpers/fuzzSocket'
import { AUTHOR, baseUpdate, POISON_CASES } from '../helpers/poisonUpdates'
import type { RelayProcess } from '../helpers/relayProcess'
import {
  checkStoredRoom,
  converged,
  fuzzRound,
  honestRoom,
  isPolicyCode,
  type FuzzedRoom,
  type RoundResult,
} from '../helpers/relayFuzzRun'
import { createPool, freshRoom, waitForText, waitSynced, type SyncClient } from '../helpers/syncClients'
import { updateFrame } from '../helpers/wireFrames'
import { syncPayload } from '../helpers/yjsHazards'

/**
 * [Y6] Trial-apply: a frame is decoded and checked completely before the room's doc changes; one
 * that fails leaves the room as it was and closes only its socket, and nothing the relay stores
 * fails to load. Against the real relay process:
 *
 * 1. Named regressions: updates that Yjs mishandles (tests/unit/fuzzFrames.test.ts), each sent
 *    into a room with honest y-websocket clients in it. The sender may be closed with a permanent
 *    code, or the update taken, but then it must be harmless: the honest clients keep syncing and
 *    are never closed, a newcomer gets exactly what they hold, and after a restart the room loads
 *    the same, holding nothing that came only from a frame the relay closed as malformed.
 * 2. A seeded fuzz (PEERBOARD_FUZZ_FRAMES decoded frames, default 2000; tests/long runs a
 *    million): mutated frames of every kind from raw sockets while honest clients edit the same
 *    room and another one; the same checks after every round and after a restart.
 *
 * The relay's rate limits are raised here: the subject is decoding, not speed.
 */

const FRAMES = Number(process.env.PEERBOARD_FUZZ_FRAMES ?? 2000)
const FRAMES_PER_ROUND = 1000
const RECORDING_SEED = 1
/** Fuzz seeds run by default (each failed against the relay before trial-apply); a seed that ever failed stays listed. */
const FUZZ_SEEDS = [1, 2]
/** A fuzz run that once failed, kept whole: its seed, its length, and what went wrong. */
interface FuzzRegression {
  readonly seed: number
  readonly frames: number
  readonly why: string
}

/**
 * Fuzz runs that once failed against a relay that the rest of this file passed (an early trial-apply
 * relay, 2026-12), kept whole. They run at once, on one relay.
 */
const REGRESSIONS: readonly FuzzRegression[] = [
  { seed: 11, frames: 2_000, why: 'a pending delete set kept, every later update threw: both honest clients closed with 4400 by frame 1,630' },
  { seed: 1000, frames: 2_000, why: 'a hostile frame closed with 1011 (an internal error); at 5,000 frames a newcomer got a clock of 4294967518' },
  { seed: 1001, frames: 2_000, why: 'honest clients closed with 4400 by frame 1,925' },
  { seed: 1002, frames: 2_000, why: 'two hostile frames closed with 1011; at 5,000 frames a newcomer diverged' },
  { seed: 1003, frames: 2_000, why: 'hostile SyncStep2 frames (a bit flip; forged lengths) closed with 1011' },
]

/**
 * Seeds of the long fuzz (tests/long/relayFuzz.long.test.ts, 2026-12) that failed, kept whole (5,000
 * frames, as there). Run on their own relay, whose log must then hold no error.
 */
const LONG_REGRESSIONS: readonly FuzzRegression[] = [
  { seed: 1022, frames: 5_000, why: 'the relay took a ContentAny holding a BigInt (frame 4,250); the harness threw "Do not know how to serialize a BigInt"' },
  { seed: 1042, frames: 5_000, why: 'a BigInt in a taken SyncStep2 (frame 4,219) made the harness throw' },
  { seed: 1108, frames: 5_000, why: 'a BigInt in a taken update (frame 3,392) made the harness throw' },
  { seed: 1152, frames: 5_000, why: 'a BigInt in a taken update (frame 153) made the harness throw' },
  { seed: 1083, frames: 5_000, why: 'a SyncStep2 with a forged deleted-run length (frame 4,509) overlapped the room; its snapshot then re-encoded differently' },
  { seed: 1123, frames: 5_000, why: 'a SyncStep2 with a forged deleted-run length (frame 2,643) overlapped the room; its snapshot then re-encoded differently' },
]
const FUZZ_ENV = {
  RATE_MESSAGES_PER_SECOND: '1000000',
  RATE_BYTES_PER_SECOND: String(1024 * 1024 * 1024),
  AWARENESS_PER_SECOND: '100000',
}

/** An empty state vector: "send me everything" (the room's whole state comes back as a SyncStep2). */
const EVERYTHING = syncFrame(0, Y.encodeStateVector(new Map()))

/** Sends each frame followed by a ping; resolves when all were answered or the socket closed. */
const sendAll = async (socket: FuzzSocket, frames: readonly Uint8Array[]): Promise<'answered' | 'closed'> => {
  const before = socket.answers
  for (const frame of frames) {
    socket.send(frame)
    socket.send(EVERYTHING)
  }
  return socket.waitAnswers(before + frames.length, 30_000)
}

interface Checked {
  readonly stored: FuzzedRoom
  readonly label: string
}

/** Relay log lines at level error (the relay failed at something: storing, loading, flushing). */
const errorLines = (relay: RelayProcess): string[] =>
  relay
    .output()
    .split('\n')
    .filter((line) => line.includes('"level":"error"'))

describe('[Y6] the relay against updates that Yjs mishandles', () => {
  const pool = createPool()
  const relays = createPool()
  let relay: RelayProcess
  const checked: Checked[] = []

  beforeAll(async () => {
    relay = await relays.relay({ env: FUZZ_ENV })
  })
  afterAll(async () => {
    await pool.clear()
    await relays.clear()
  })

  /** `from` appends `text`; `to` must receive it (the room still relays). */
  const relayed = async (from: SyncClient, to: SyncClient, text: string, label: string): Promise<void> => {
    from.text.insert(from.text.length, text)
    await waitForText(to, from.text.toString(), 10_000).catch((error: unknown) => {
      throw new Error(`${label}: an honest edit was not relayed (close codes seen: ${JSON.stringify([from.closeCodes, to.closeCodes])}): ${String(error)}`)
    })
  }

  /** A newcomer must sync and hold exactly what `reference` holds; returns its state. */
  const newcomer = async (room: string, reference: SyncClient, label: string): Promise<Uint8Array> => {
    const fresh = pool.client(relay, room)
    try {
      await waitSynced(fresh, 10_000).catch(() => {
        throw new Error(`${label}: a newcomer did not sync (closed with ${fresh.closeCodes.join(',') || 'nothing'})`)
      })
      await converged([reference, fresh], `${label}: a newcomer and the honest clients`, 10_000)
      return Y.encodeStateAsUpdate(fresh.doc)
    } finally {
      fresh.destroy()
    }
  }

  /**
   * Plays one poison into a room: `base` frames from one raw socket (valid), two honest providers,
   * then `poison` from another raw socket, then `after` (valid frames of the poison's author, which
   * the relay may refuse: their ids may be taken by then). After the poison, and again after
   * `after`, the room must relay honest edits, and a newcomer must get exactly what the honest
   * clients hold, with nothing that came only from a frame the relay refused.
   */
  const playPoison = async (label: string, base: readonly Uint8Array[], poison: Uint8Array, after: readonly Uint8Array[]): Promise<void> => {
    const room = freshRoom('y6-poison')
    const url = `${relay.wsUrl}/${room}`
    const allowed = new AllowedContent()
    const author = await FuzzSocket.open(url)
    expect(await sendAll(author, base), `${label}: the valid base frames`).toBe('answered')
    for (const frame of base) allowed.add(syncPayload(frame) as Uint8Array)
    author.terminate()

    const honest = await honestRoom(pool, relay, room, 42, 3_600_000)
    const [a, b] = honest.clients as [SyncClient, SyncClient]
    try {
      await relayed(a, b, 'before', label)

      const offender = await FuzzSocket.open(url)
      const outcome = await sendAll(offender, [poison])
      offender.terminate()
      if (outcome === 'closed') {
        const closed = offender.closed ?? { code: 0, reason: '' }
        expect(isPolicyCode(closed.code), `${label}: the sender was closed with ${closed.code} ${closed.reason}`).toBe(true)
      } else allowed.add(syncPayload(poison) as Uint8Array)

      await relayed(a, b, ' a', label)
      await relayed(b, a, ' b', label)
      for (const update of honest.locals) allowed.add(update)
      honest.locals.length = 0
      expect(allowed.problems(await newcomer(room, a, label)), `${label}: right after the poison, the room holds only what the relay took`).toEqual([])

      for (const frame of after) {
        const socket = await FuzzSocket.open(url)
        if ((await sendAll(socket, [frame])) === 'answered') allowed.add(syncPayload(frame) as Uint8Array)
        socket.terminate()
      }
      await relayed(a, b, ' a2', label)
      await relayed(b, a, ' b2', label)
      const expected = await converged([a, b], `${label}: the honest clients`, 10_000)
      for (const update of honest.locals) allowed.add(update)
      expect(allowed.problems(await newcomer(room, a, label)), `${label}: after the author's next updates, the room holds only what the relay took`).toEqual([])
      expect([a, b].flatMap((c) => c.closeCodes), `${label}: honest clients closed`).toEqual([])
      checked.push({ label, stored: { room, expected, allowed } })
    } finally {
      // A room whose case failed is still checked after the restart, against what A held.
      if (!checked.some((c) => c.stored.room === room)) {
        for (const update of honest.locals) allowed.add(update)
        checked.push({ label, stored: { room, expected: docFingerprint(a.doc), allowed } })
      }
      honest.stop()
      for (const client of [a, b]) client.destroy()
    }
  }

  it.each(POISON_CASES)('[Y6] $name: the sender is refused or the update is harmless', async ({ name, baseText, update }) => {
    const author = new Y.Doc()
    author.clientID = AUTHOR
    Y.applyUpdate(author, baseUpdate(baseText))
    const before = Y.encodeStateVector(author)
    author.getText('poisoned').insert(baseText.length, 'Z')
    const next = Y.encodeStateAsUpdate(author, before)
    await playPoison(name, [updateFrame(baseUpdate(baseText))], updateFrame(update), [updateFrame(next)])
  })

  /** Seeds of the Yjs-level search (recording 1), one per hazard; see tests/unit/fuzzFrames.test.ts. */
  const SEEDED: readonly { seed: number; hazard: string }[] = [
    { seed: 11, hazard: 'throws after changing the doc' },
    { seed: 58, hazard: 'throws leaving pending structs' },
    { seed: 180, hazard: 'taken as pending, then the next valid updates throw' },
    { seed: 1689, hazard: 'a zero-length item, then the next valid updates throw' },
    { seed: 37618, hazard: 'throws and the doc no longer encodes' },
    { seed: 1439, hazard: 'a pending delete set whose snapshot throws on load' },
    { seed: 2410, hazard: 'taken, and the snapshot throws on load' },
    { seed: 761, hazard: 'pending structs the doc never integrates but its snapshot does' },
  ]

  it.each(SEEDED)('[Y6] search seed $seed ($hazard): the sender is refused or the update is harmless', async ({ seed }) => {
    const recording = recordSession(RECORDING_SEED, 300)
    const fuzz = fuzzCase(recording, seed)
    const base = recording.updateFrames.slice(0, fuzz.applied).map((f) => f.frame)
    const after = recording.updateFrames.slice(fuzz.applied, fuzz.applied + 3).map((f) => f.frame)
    await playPoison(`seed ${seed}`, base, fuzz.mutated.frame, after)
  })

  it('[Y6] after a restart every room loads and holds exactly what its honest clients held', async () => {
    expect(checked.length).toBeGreaterThan(0)
    expect(relay.child.exitCode).toBeNull()
    expect(await relay.stop('SIGTERM')).toBe(0)
    const restarted = await relays.relay({ dataDir: relay.dataDir, env: FUZZ_ENV })
    for (const { label, stored } of checked) {
      const result = await checkStoredRoom(pool, restarted, stored)
      expect.soft(result.difference, `${label}: after the restart`).toBeNull()
      expect.soft(result.problems, `${label}: after the restart, the room holds only what the relay took`).toEqual([])
    }
    expect(errorLines(relay).concat(errorLines(restarted))).toEqual([])
  }, 300_000)
})

/** What every fuzz round must show (soft: all of them are reported), with the test's own `expect`. */
const checkRound = (seed: number, round: RoundResult, expect: ExpectStatic = globalExpect): void => {
  const label = `fuzz seed ${seed}: ${round.fuzz.decoded} decoded, ${round.fuzz.accepted} taken, closes ${JSON.stringify([...round.fuzz.closes])}`
  console.log(`${label} (${Math.round(round.seconds)} s)`)
  expect.soft(round.honestClosed, `${label}: honest clients closed with a permanent code`).toEqual([])
  expect.soft(round.fuzz.otherCloses, `${label}: hostile frames closed with a code outside 4400-4499`).toEqual([])
  expect.soft(round.problems, `${label}: the room holds what came only from frames it refused (first refused: ${JSON.stringify(round.fuzz.malformed.slice(0, 3))})`).toEqual([])
}

describe('[Y6] the relay against a seeded frame fuzzer', () => {
  const pool = createPool()
  const relays = createPool()
  afterAll(async () => {
    await pool.clear()
    await relays.clear()
  })

  it(`[Y6] ${FRAMES} mutated frames: the relay stays up, honest clients converge, storage holds only what it took`, async () => {
    const recording = recordSession(RECORDING_SEED, 300)
    const relay = await relays.relay({ env: FUZZ_ENV })
    const other = await honestRoom(pool, relay, freshRoom('fuzz-other'), 99)
    const rounds: RoundResult[] = []
    const stored: FuzzedRoom[] = []
    let seedIndex = 0
    for (let left = FRAMES; left > 0; left -= FRAMES_PER_ROUND) {
      const seed = FUZZ_SEEDS[seedIndex] ?? 1000 + seedIndex
      seedIndex++
      const round = await fuzzRound(pool, relay, recording, seed, Math.min(left, FRAMES_PER_ROUND)).catch((error: unknown) => error as Error)
      expect(relay.child.exitCode, 'the relay process exited').toBeNull()
      if (round instanceof Error) {
        expect.soft(round.message, `fuzz seed ${seed}`).toBe('')
        continue
      }
      rounds.push(round)
      stored.push(round.stored)
      checkRound(seed, round)
    }
    // Another room, edited throughout, converged and untouched.
    other.stop()
    const otherExpected = await converged(other.clients, 'the other room')
    const otherAllowed = new AllowedContent()
    for (const update of other.locals) otherAllowed.add(update)
    expect(otherAllowed.problems(Y.encodeStateAsUpdate((other.clients[0] as SyncClient).doc))).toEqual([])
    expect(other.clients.flatMap((c) => c.closeCodes)).toEqual([])
    stored.push({ room: other.room, expected: otherExpected, allowed: otherAllowed })

    // Restart on the same DATA_DIR: every stored room loads, and equals what its honest clients held.
    expect(await relay.stop('SIGTERM')).toBe(0)
    const restarted = await relays.relay({ dataDir: relay.dataDir, env: FUZZ_ENV })
    for (const room of stored) {
      const result = await checkStoredRoom(pool, restarted, room)
      expect.soft(result.difference, `${room.room} after the restart`).toBeNull()
      expect.soft(result.problems, `${room.room} after the restart holds only what the relay took`).toEqual([])
    }
    expect.soft(errorLines(relay).concat(errorLines(restarted)).slice(0, 5)).toEqual([])
    expect(rounds.reduce((n, r) => n + r.fuzz.decoded, 0)).toBeGreaterThanOrEqual(Math.min(FRAMES, FRAMES_PER_ROUND))
  }, 600_000)

  describe('regressions', () => {
    let relay: RelayProcess
    beforeAll(async () => {
      relay = await relays.relay({ env: FUZZ_ENV })
    })

    // Concurrent tests must use their own `expect`, so that each failure is reported on its test.
    it.concurrent.for(REGRESSIONS)('[Y6] regression: fuzz seed $seed, $frames frames ($why)', { timeout: 300_000 }, async ({ seed, frames }, { expect }) => {
      const round = await fuzzRound(pool, relay, recordSession(RECORDING_SEED, 300), seed, frames)
      expect(relay.child.exitCode, 'the relay process exited').toBeNull()
      checkRound(seed, round, expect)
    })
  })

  describe('long-run regressions', () => {
    let relay: RelayProcess
    const longStored: FuzzedRoom[] = []
    beforeAll(async () => {
      relay = await relays.relay({ env: FUZZ_ENV })
    })

    it.concurrent.for(LONG_REGRESSIONS)('[Y6] long regression: fuzz seed $seed, $frames frames ($why)', { timeout: 600_000 }, async ({ seed, frames }, { expect }) => {
      const round = await fuzzRound(pool, relay, recordSession(RECORDING_SEED, 300), seed, frames)
      expect(relay.child.exitCode, 'the relay process exited').toBeNull()
      longStored.push(round.stored)
      checkRound(seed, round, expect)
    })

    it('[Y6] long regressions: after a restart every room loads as its honest clients held it, and the relay logged no error', async () => {
      expect(await relay.stop('SIGTERM')).toBe(0)
      const restarted = await relays.relay({ dataDir: relay.dataDir, env: FUZZ_ENV })
      for (const room of longStored) {
        const result = await checkStoredRoom(pool, restarted, room)
        expect.soft(result.difference, `${room.room} after the restart`).toBeNull()
        expect.soft(result.problems, `${room.room} after the restart holds only what the relay took`).toEqual([])
      }
      expect(await restarted.stop('SIGTERM')).toBe(0)
      expect(errorLines(relay).concat(errorLines(restarted)).slice(0, 5)).toEqual([])
    }, 120_000)
  })
})
