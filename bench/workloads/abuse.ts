import { randomBytes } from 'node:crypto'
import * as Y from 'yjs'
import { BenchClient, syncFrame, updateFrame } from '../load/BenchClient'
import { clientOptions, connectAll, freshRoom } from '../load/rooms'
import { distribution, sleep, type Distribution } from '../load/stats'
import { loadTrace, replayUpdates } from '../load/traces'
import { updateKey } from '../load/updateKey'
import type { ServerProcess } from '../servers/serverProcess'
import type { ServerUnderTest } from '../servers/ServerUnderTest'

/**
 * W4, abuse: while 5 ordinary rooms (10 clients, one typing 20 keystrokes a second) run, one socket
 * in another room sends (a) one 5 MB update, (b) 1,000 small updates a second for
 * `floodSeconds` (long enough to outlast a burst allowance of 2,000 messages), (c) garbage
 * frames.
 * Reported per phase: the ordinary rooms' fan-out p99, what happened to the abusive socket, and
 * whether the server is still up and still serves a new client afterwards.
 */

export type AbuseKind = 'baseline' | 'big-update' | 'flood' | 'garbage'

export interface AbusePhase {
  readonly kind: AbuseKind
  /** Pooled over every run of the workload. */
  readonly otherRoomsLatencyMs: Distribution
  /** Each run's own p99, in run order. */
  readonly p99PerRunMs: readonly number[]
  /** What the abusive socket(s) met, in words (every distinct outcome over the runs). */
  readonly outcome: string
  readonly serverUp: boolean
}

export interface AbuseResult {
  readonly server: ServerUnderTest['id']
  readonly runs: number
  readonly ok: boolean
  readonly error: string | null
  readonly phases: AbusePhase[]
  /** After every phase: a new client in an ordinary room got its document. */
  readonly servesAfterwards: boolean
}

/**
 * One description for what several runs' abusive sockets met: outcomes are `; `-separated parts,
 * some `name: result`; the parts that differ between runs list each distinct result once.
 */
const mergeOutcomes = (outcomes: readonly string[]): string => {
  const parts = new Map<string, { name: string | null; results: string[] }>()
  outcomes.forEach((outcome) =>
    outcome.split('; ').forEach((part, index) => {
      const colon = part.indexOf(': ')
      const name = colon === -1 ? null : part.slice(0, colon)
      const result = colon === -1 ? part : part.slice(colon + 2)
      const key = name ?? `#${index}`
      const entry = parts.get(key) ?? { name, results: [] }
      if (!entry.results.includes(result)) entry.results.push(result)
      parts.set(key, entry)
    }),
  )
  return [...parts.values()]
    .map(({ name, results }) => `${name === null ? '' : `${name}: `}${results.join(' or ')}`)
    .join('; ')
}

/** One run of the workload against one server process; runs are pooled by `poolAbuseRuns`. */
export interface AbuseRun {
  readonly server: ServerUnderTest['id']
  readonly ok: boolean
  readonly error: string | null
  readonly phases: readonly { kind: AbuseKind; samples: readonly number[]; outcome: string; serverUp: boolean }[]
  readonly servesAfterwards: boolean
}

/**
 * Pools several runs against one server: each phase's latencies over all runs together. A p99
 * over one short phase is set by the longest single stall in it (one stall of 60 ms delays every
 * update sent meanwhile in all five rooms, more than 1 % of a 4 s phase's samples), so one run's
 * figure swings several-fold between identical runs; the pooled figure is steadier.
 */
export const poolAbuseRuns = (runs: readonly AbuseRun[]): AbuseResult => {
  const first = runs[0]
  if (first === undefined) throw new Error('no runs to pool')
  const kinds = [...new Set(runs.flatMap((run) => run.phases.map((p) => p.kind)))]
  const errors = [...new Set(runs.map((run) => run.error).filter((e): e is string => e !== null))]
  return {
    server: first.server,
    runs: runs.length,
    ok: runs.every((run) => run.ok),
    error: errors.length === 0 ? null : errors.join('; '),
    phases: kinds.map((kind) => {
      const phases = runs.flatMap((run) => run.phases.filter((p) => p.kind === kind))
      return {
        kind,
        otherRoomsLatencyMs: distribution(phases.flatMap((p) => p.samples)),
        p99PerRunMs: phases.map((p) => distribution(p.samples).p99),
        outcome: mergeOutcomes(phases.map((p) => p.outcome)),
        serverUp: phases.every((p) => p.serverUp),
      }
    }),
    servesAfterwards: runs.every((run) => run.servesAfterwards),
  }
}

const BACKGROUND_ROOMS = 5
const BACKGROUND_CLIENTS = 10
const RATE = 20
const BIG_UPDATE_BYTES = 5 * 1024 * 1024
const FLOOD_PER_SECOND = 1000

const bigUpdate = (): Uint8Array => {
  const doc = new Y.Doc()
  doc.clientID = 9_090_909
  doc.getText('text').insert(0, 'x'.repeat(BIG_UPDATE_BYTES))
  return Y.encodeStateAsUpdate(doc)
}

/** Garbage frames: bytes that are not the protocol, each sent on a fresh socket. */
const garbageFrames = (server: ServerUnderTest, room: string): { name: string; bytes: Uint8Array; raw: boolean }[] => [
  { name: 'random bytes', bytes: randomBytes(64), raw: true },
  { name: 'truncated varint', bytes: Uint8Array.of(0x80), raw: false },
  { name: 'unknown message type', bytes: Uint8Array.of(99, 1, 2, 3), raw: false },
  { name: 'sync frame with an invalid update', bytes: syncFrame(2, Uint8Array.of(5, 1, 2, 200, 200, 200)), raw: false },
  { name: 'length prefix past the end', bytes: Uint8Array.of(0, 2, 0xff, 0xff, 0x03, 1), raw: false },
  { name: 'random bytes after a valid prefix', bytes: server.dialect.wrap(room, Uint8Array.of(0, 2, ...randomBytes(40))), raw: true },
]

const describeClose = (client: BenchClient): string =>
  client.closed === null ? 'kept open' : `closed ${client.closed.code}${client.closed.reason === '' ? '' : ` "${client.closed.reason}"`}`

export const runAbuse = async (
  server: ServerUnderTest,
  proc: ServerProcess,
  options: { readonly phaseSeconds: number; readonly floodSeconds: number },
): Promise<AbuseRun> => {
  const floodSeconds = options.floodSeconds
  const trace = loadTrace('clownschool_flat')
  const perRoom = Math.ceil(RATE * (options.phaseSeconds * 4 + floodSeconds + 10))
  const rooms = Array.from({ length: BACKGROUND_ROOMS }, () => freshRoom())
  const streams = rooms.map((_, r) => replayUpdates(trace, perRoom, 8_000_000 + r, 'text').updates)
  const sentAt = new Map<string, number>()
  let window: number[] = []
  const onUpdate = (key: string, at: number): void => {
    const sent = sentAt.get(key)
    if (sent !== undefined) window.push(at - sent)
  }
  const phases: AbuseRun['phases'][number][] = []
  const background: BenchClient[][] = []
  const timers: NodeJS.Timeout[] = []
  const extra: BenchClient[] = []
  try {
    for (const room of rooms) {
      background.push(
        await connectAll(server, () => new BenchClient(clientOptions(server, proc, room, { onUpdate })), BACKGROUND_CLIENTS),
      )
    }
    const next = rooms.map(() => 0)
    timers.push(
      setInterval(() => {
        rooms.forEach((_, r) => {
          const update = (streams[r] as Uint8Array[])[next[r] as number]
          if (update === undefined) return
          next[r] = (next[r] as number) + 1
          const key = updateKey(update)
          if (key !== null) sentAt.set(key, performance.now())
          ;(background[r]?.[0] as BenchClient).send(updateFrame(update))
        })
      }, 1000 / RATE),
    )
    const phase = async (kind: AbuseKind, abuse: () => Promise<string>): Promise<void> => {
      await sleep(500)
      window = []
      const outcome = await abuse()
      phases.push({ kind, samples: window.slice(), outcome, serverUp: proc.running() })
    }
    const abuseRoom = freshRoom()

    await phase('baseline', async () => {
      await sleep(options.phaseSeconds * 1000)
      return '—'
    })

    await phase('big-update', async () => {
      const [abuser, receiver] = await connectAll(server, () => new BenchClient(clientOptions(server, proc, abuseRoom)), 2)
      extra.push(abuser as BenchClient, receiver as BenchClient)
      const update = bigUpdate()
      const before = (receiver as BenchClient).bytesIn
      ;(abuser as BenchClient).send(updateFrame(update))
      await sleep(Math.max(options.phaseSeconds, 2) * 1000)
      const relayed = (receiver as BenchClient).bytesIn - before
      return `${describeClose(abuser as BenchClient)}; ${relayed >= update.byteLength ? `relayed to the room (${(relayed / 1e6).toFixed(1)} MB)` : `not relayed (${relayed} bytes reached the room)`}`
    })

    await phase('flood', async () => {
      const floodRoom = freshRoom()
      const [abuser, receiver] = await connectAll(server, () => new BenchClient(clientOptions(server, proc, floodRoom)), 2)
      extra.push(abuser as BenchClient, receiver as BenchClient)
      const updates = replayUpdates(trace, FLOOD_PER_SECOND * floodSeconds, 9_191_919, 'text').updates
      const framesBefore = (receiver as BenchClient).framesIn
      const started = performance.now()
      let sent = 0
      while (sent < updates.length && (abuser as BenchClient).closed === null) {
        const due = Math.min(updates.length, Math.floor(((performance.now() - started) / 1000) * FLOOD_PER_SECOND))
        while (sent < due) (abuser as BenchClient).send(updateFrame(updates[sent++] as Uint8Array))
        await sleep(5)
      }
      await sleep(500)
      const relayed = (receiver as BenchClient).framesIn - framesBefore
      return `${describeClose(abuser as BenchClient)} after ${sent} of ${updates.length} sent; ${relayed} relayed to the room`
    })

    await phase('garbage', async () => {
      const outcomes: string[] = []
      for (const garbage of garbageFrames(server, abuseRoom)) {
        const [abuser] = await connectAll(server, () => new BenchClient(clientOptions(server, proc, abuseRoom)), 1).catch(
          () => [] as BenchClient[],
        )
        if (abuser === undefined) {
          outcomes.push(`${garbage.name}: could not connect`)
          continue
        }
        extra.push(abuser)
        if (garbage.raw) abuser.sendRaw(garbage.bytes)
        else abuser.send(garbage.bytes)
        await sleep(Math.max(300, (options.phaseSeconds * 1000) / 6))
        outcomes.push(`${garbage.name}: ${proc.running() ? describeClose(abuser) : 'server down'}`)
      }
      return outcomes.join('; ')
    })

    for (const timer of timers) clearInterval(timer)
    let servesAfterwards = false
    if (proc.running()) {
      const late = await connectAll(server, () => new BenchClient(clientOptions(server, proc, rooms[0] as string, { probe: true })), 1).catch(
        () => [] as BenchClient[],
      )
      await sleep(500)
      // The floor keeps no document: for it, being answered at all is what "serves" means.
      servesAfterwards = late[0] !== undefined && (server.floor || late[0].text('text').length > 0)
      for (const client of late) client.close()
    }
    const up = phases.every((p) => p.serverUp) && proc.running()
    return {
      server: server.id,
      ok: up && servesAfterwards,
      error: up ? (servesAfterwards ? null : 'did not serve a new client afterwards') : 'server exited',
      phases,
      servesAfterwards,
    }
  } catch (error) {
    return {
      server: server.id,
      ok: false,
      error: error instanceof Error ? error.message : String(error),
      phases,
      servesAfterwards: false,
    }
  } finally {
    for (const timer of timers) clearInterval(timer)
    for (const client of [...background.flat(), ...extra]) client.close()
  }
}
