import * as Y from 'yjs'
import { AllowedContent } from './allowedContent'
import { docFingerprint, fingerprintDifference, type DocFingerprint } from './docFingerprint'
import { BMP_ALPHABET, randomEdit, syncFrame, type EditRoots, type Recording } from './frameRecorder'
import { fuzzSteps, type FuzzStep } from './frameFuzzer'
import { FuzzSocket, isSyncStep1 } from './fuzzSocket'
import { pick, seededRandom } from './prng'
import type { RelayProcess } from './relayProcess'
import { freshRoom, waitSynced, type Pool, type SyncClient } from './syncClients'
import { waitFor } from './wait'
import { syncPayload } from './yjsHazards'

/**
 * One round of the relay fuzz (relayFuzz.test.ts and its long version): a fresh room where two
 * unmodified y-websocket clients keep editing while a raw socket sends it the recording's updates
 * in order mixed with mutated frames (frameFuzzer.ts), a fresh socket after each close.
 *
 * The honest clients edit the root types `text`, `map`, `array` and `xml`; the recording (and so
 * every mutated frame) uses `fuzz-*` root types and its own client ids. What the relay takes from
 * the fuzzer therefore never interleaves with honest edits, and whatever it takes, every replica
 * that integrates the same frames in the relay's order holds the same thing: if the honest clients
 * diverge, the relay relayed or stored something wrong, not the CRDT.
 */

export const HONEST_ROOTS: EditRoots = { text: 'text', map: 'map', array: 'array', xml: 'xml' }

/** Codes a relay may close a hostile socket with (permanent; SPEC [Y3], [L1]-[L6], [Y7]). */
export const isPolicyCode = (code: number): boolean => code >= 4400 && code < 4500
const MALFORMED = 4400
/** Closes after which nothing of the frame was applied, by SPEC (malformed, unknown type, too large, doc too large). */
const NOT_APPLIED = new Set([MALFORMED, 4401, 4413, 4414, 4415])

const BATCH = 16
const ANSWER_TIMEOUT_MS = 30_000
/** A clock no test session reaches: the ping's state vector says "I have all of it". */
const HAVE_ALL = 1_000_000_000

export interface HonestRoom {
  readonly room: string
  readonly clients: readonly SyncClient[]
  /** Every update the honest clients made themselves (not what they received). */
  readonly locals: Uint8Array[]
  /** Stops editing. */
  stop(): void
}

/** Two providers in `room` that make a seeded random edit every `intervalMs` until stopped. */
export const honestRoom = async (pool: Pool, relay: RelayProcess, room: string, seed: number, intervalMs = 40): Promise<HonestRoom> => {
  const clients = [pool.client(relay, room), pool.client(relay, room)]
  await Promise.all(clients.map((client) => waitSynced(client, 30_000)))
  const locals: Uint8Array[] = []
  clients.forEach((client, i) => {
    client.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== client.provider) locals.push(update)
    })
    client.provider.awareness.setLocalStateField('user', { name: `honest-${i}` })
  })
  const random = seededRandom(seed)
  const timer = setInterval(() => {
    const client = clients[pick(random, clients.length)] as SyncClient
    client.doc.transact(() => randomEdit(client.doc, random, HONEST_ROOTS, BMP_ALPHABET))
  }, intervalMs)
  return { room, clients, locals, stop: () => clearInterval(timer) }
}

/** Waits until every client holds the same content, state vector and deletes; returns that. */
export const converged = async (clients: readonly SyncClient[], what: string, timeoutMs = 30_000): Promise<DocFingerprint> => {
  let difference: string | null = null
  await waitFor(
    `${what} to converge`,
    () => {
      const [first, ...rest] = clients.map((client) => docFingerprint(client.doc))
      difference = null
      for (const other of rest) difference ??= fingerprintDifference(first as DocFingerprint, other)
      return difference === null
    },
    timeoutMs,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${difference ?? ''}`)
  })
  return docFingerprint((clients[0] as SyncClient).doc)
}

export interface MalformedFrame {
  readonly index: number
  readonly source: string
  readonly mutations: readonly string[]
  readonly code: number
  readonly reason: string
}

export interface FuzzRoomResult {
  readonly room: string
  /** Frames the relay handled (took, or closed the socket over). */
  readonly decoded: number
  readonly accepted: number
  /** Sockets closed, by code. */
  readonly closes: Map<number, number>
  /** Sync frames closed as malformed (4400), the first few. */
  readonly malformed: MalformedFrame[]
  /** Closes with a code outside 4400-4499 (a relay-side failure, or a retryable code for a hostile frame). */
  readonly otherCloses: string[]
  /** Every sync update the relay may have integrated, in order, plus the honest clients' edits. */
  readonly allowed: AllowedContent
}

/** A SyncStep1 saying "I have everything of these clients": the relay answers with a small SyncStep2. */
const pingFrame = (clients: readonly number[]): Uint8Array =>
  syncFrame(0, Y.encodeStateVector(new Map(clients.map((client) => [client, HAVE_ALL]))))

/**
 * Sends `frames` decoded frames of the fuzz stream `seed` to `room` (see fuzzSocket.ts for how
 * each frame's fate is told), reopening a socket after each close.
 */
export const fuzzRoom = async (
  relay: RelayProcess,
  room: string,
  recording: Recording,
  seed: number,
  frames: number,
  knownClients: readonly number[],
  /** Checked after every batch: fuzzing stops early when it returns true (an honest client was closed). */
  stop: () => boolean = () => false,
): Promise<FuzzRoomResult> => {
  const url = `${relay.wsUrl}/${room}`
  const ping = pingFrame([...recording.clients, ...knownClients])
  const steps = fuzzSteps(recording, seed)
  const requeued: FuzzStep[] = []
  const allowed = new AllowedContent()
  const closes = new Map<number, number>()
  const malformed: MalformedFrame[] = []
  const otherCloses: string[] = []
  let decoded = 0
  let accepted = 0
  let socket = await FuzzSocket.open(url)
  try {
    while (decoded < frames && !stop()) {
      if (relay.child.exitCode !== null || relay.child.signalCode !== null) {
        throw new Error(`the relay exited (${relay.child.exitCode ?? relay.child.signalCode}) during fuzz seed ${seed}`)
      }
      const batch: FuzzStep[] = []
      while (batch.length < Math.min(BATCH, frames - decoded)) batch.push(requeued.shift() ?? (steps.next().value as FuzzStep))
      const before = socket.answers
      const marks: number[] = []
      let expected = 0
      for (const step of batch) {
        socket.send(step.frame)
        if (isSyncStep1(step.frame)) expected++
        socket.send(ping)
        marks.push(++expected)
      }
      const outcome = await socket.waitAnswers(before + expected, ANSWER_TIMEOUT_MS).catch((error: unknown) => {
        throw new Error(`fuzz seed ${seed}, frames ${batch[0]?.index}..: ${String(error)}`)
      })
      const got = socket.answers - before
      const firstUnanswered = marks.findIndex((mark) => mark > got)
      const closedAt = firstUnanswered === -1 ? batch.length : firstUnanswered
      for (const step of batch.slice(0, closedAt)) {
        accepted++
        const payload = syncPayload(step.frame)
        if (payload !== null) allowed.add(payload)
      }
      decoded += Math.min(batch.length, closedAt + 1)
      if (outcome === 'closed' || socket.closed !== null) {
        const { code, reason } = socket.closed ?? { code: 0, reason: '' }
        closes.set(code, (closes.get(code) ?? 0) + 1)
        const step = batch[closedAt]
        if (step !== undefined) {
          const payload = syncPayload(step.frame)
          if (!isPolicyCode(code)) otherCloses.push(`frame ${step.index} (${step.source} ${step.mutations.join(' | ')}): ${code} ${reason}`)
          if (payload !== null && !NOT_APPLIED.has(code)) allowed.add(payload) // closed for another reason: it may have been applied
          if (payload !== null && code === MALFORMED && malformed.length < 20) {
            malformed.push({ index: step.index, source: step.source, mutations: step.mutations, code, reason })
          }
          requeued.unshift(...batch.slice(closedAt + 1))
        }
        socket.terminate()
        socket = await FuzzSocket.open(url)
      }
    }
  } finally {
    socket.terminate()
  }
  return { room, decoded, accepted, closes, malformed, otherCloses, allowed }
}

export interface FuzzedRoom {
  readonly room: string
  /** What the honest clients held at the end (content, state vector, deletes). */
  readonly expected: DocFingerprint
  readonly allowed: AllowedContent
}

export interface RoundResult {
  readonly fuzz: FuzzRoomResult
  readonly stored: FuzzedRoom
  /** Honest clients closed with a permanent code (4400-4499), as `client: code`. */
  readonly honestClosed: string[]
  /** What the room held (seen by a fresh client) that no frame the relay took accounts for. */
  readonly problems: string[]
  /** How long the fuzzing itself took. */
  readonly seconds: number
}

/**
 * A whole round: honest clients in a fresh room, `frames` fuzz frames, then the honest clients
 * must converge and a fresh client must get exactly what they hold. Every client is destroyed at
 * the end, so the room unloads (and is flushed to storage).
 */
export const fuzzRound = async (
  pool: Pool,
  relay: RelayProcess,
  recording: Recording,
  seed: number,
  frames: number,
): Promise<RoundResult> => {
  const room = freshRoom(`fuzz-${seed}`)
  const honest = await honestRoom(pool, relay, room, seed ^ 0x5eed)
  const clients: SyncClient[] = [...honest.clients]
  try {
    const started = performance.now()
    const honestClosed = (): boolean => honest.clients.some((c) => c.closeCodes.some((code) => code !== null && isPolicyCode(code)))
    const fuzz = await fuzzRoom(relay, room, recording, seed, frames, honest.clients.map((c) => c.doc.clientID), honestClosed)
    const seconds = (performance.now() - started) / 1000
    honest.stop()
    if (honestClosed()) {
      const codes = honest.clients.map((c) => c.closeCodes.join(','))
      throw new Error(`fuzz seed ${seed}: honest clients were closed for good (${codes.join(' / ')}) by frame ${fuzz.decoded} or before`)
    }
    const expected = await converged(honest.clients, `the honest clients of fuzz seed ${seed}`, 15_000)
    const fresh = pool.client(relay, room)
    clients.push(fresh)
    await waitFor(`a fresh client of fuzz seed ${seed} to sync`, () => fresh.provider.synced || fresh.closeCodes.length > 0, 30_000)
    if (!fresh.provider.synced) throw new Error(`fuzz seed ${seed}: a fresh client was closed with ${fresh.closeCodes.join(',')} before it synced`)
    await converged([honest.clients[0] as SyncClient, fresh], `a fresh client of fuzz seed ${seed} and the honest ones`, 15_000)
    for (const update of honest.locals) fuzz.allowed.add(update)
    const problems = fuzz.allowed.problems(Y.encodeStateAsUpdate(fresh.doc))
    const closedForGood = clients.flatMap((client, i) => client.closeCodes.filter((c) => c !== null && isPolicyCode(c)).map((c) => `${i}: ${c}`))
    return { fuzz, stored: { room, expected, allowed: fuzz.allowed }, honestClosed: closedForGood, problems, seconds }
  } finally {
    honest.stop()
    for (const client of clients) client.destroy()
  }
}

export interface StoredCheck {
  readonly room: string
  /** Why the room failed to load, or how it differs from what its honest clients held. */
  readonly difference: string | null
  readonly problems: string[]
}

/** After a restart: a fresh client of each room must sync to exactly what its honest clients held. */
export const checkStoredRoom = async (pool: Pool, relay: RelayProcess, stored: FuzzedRoom): Promise<StoredCheck> => {
  const client = pool.client(relay, stored.room)
  try {
    await waitFor(`${stored.room} to load`, () => client.provider.synced || client.closeCodes.length > 0, 15_000).catch(() => undefined)
    if (!client.provider.synced) {
      return { room: stored.room, difference: `did not sync in 15 s (close codes: ${client.closeCodes.join(',') || 'none'})`, problems: [] }
    }
    // SyncStep2 arrives in one frame, but give a cold room a moment to settle anyway.
    let difference: string | null = null
    await waitFor(
      `${stored.room} to hold what its honest clients held`,
      () => (difference = fingerprintDifference(stored.expected, docFingerprint(client.doc))) === null,
      5_000,
    ).catch(() => undefined)
    return { room: stored.room, difference, problems: stored.allowed.problems(Y.encodeStateAsUpdate(client.doc)) }
  } finally {
    client.destroy()
  }
}
