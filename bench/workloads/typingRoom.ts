import { BenchClient, awarenessFrame, updateFrame } from '../load/BenchClient'
import { clientOptions, connectAll, freshRoom } from '../load/rooms'
import { distribution, sleep, type Distribution } from '../load/stats'
import { expectedContent, loadTrace, replayUpdates, TRACE_NAMES } from '../load/traces'
import { updateKey } from '../load/updateKey'
import type { ServerProcess } from '../servers/serverProcess'
import type { ServerUnderTest } from '../servers/ServerUnderTest'

/**
 * W1, a typing room: N clients in one room; 1 or 3 of them replay real editing traces (writer i
 * types trace i into its own text, `w<i>`) at a steady rate; optionally every client renews its
 * presence once a second, as a moving cursor does. Measured: fan-out latency from a writer's send
 * to each observer's receipt (every observer, matched by update key), server CPU per update per
 * observer, event-loop delay, bytes the server sent. Checked: every update reached every observer,
 * and the probes' documents equal the traces' expected content.
 */

export interface TypingCase {
  readonly clients: number
  readonly writers: number
  readonly awareness: boolean
}

export interface TypingResult {
  readonly server: ServerUnderTest['id']
  readonly case: TypingCase
  readonly ok: boolean
  readonly error: string | null
  readonly updates: number
  /** updates × observers (N − 1). */
  readonly deliveries: number
  readonly received: number
  /** Writers' own updates sent back to them. */
  readonly echoes: number
  readonly latencyMs: Distribution
  readonly cpuMicrosPerDelivery: number
  readonly cpuPercent: number
  readonly loopDelayMs: { p50: number; p99: number; max: number } | null
  readonly bytesOut: number
  readonly bytesPerDelivery: number
}

const WRITER_CLIENT_ID = 7_000_000
const PROBES = 2
const DRAIN_MS = 5_000

const writerUpdates = new Map<string, Uint8Array[]>()

/** Writer w's updates: the first `count` transactions of trace w (cached across runs). */
const updatesOf = (writer: number, count: number): Uint8Array[] => {
  const cacheKey = `${writer}:${count}`
  let updates = writerUpdates.get(cacheKey)
  if (updates === undefined) {
    const trace = loadTrace(TRACE_NAMES[writer % TRACE_NAMES.length] as (typeof TRACE_NAMES)[number])
    updates = replayUpdates(trace, count, WRITER_CLIENT_ID + writer, `w${writer}`).updates
    writerUpdates.set(cacheKey, updates)
  }
  return updates
}

export const typingCases = (quick: boolean): TypingCase[] => {
  if (quick) {
    return [{ clients: 50, writers: 3, awareness: true }]
  }
  const cases: TypingCase[] = []
  for (const clients of [2, 10, 50, 200]) {
    for (const writers of [1, 3]) {
      if (writers >= clients) continue
      for (const awareness of [false, true]) cases.push({ clients, writers, awareness })
    }
  }
  return cases
}

export const runTypingRoom = async (
  server: ServerUnderTest,
  proc: ServerProcess,
  typingCase: TypingCase,
  options: { readonly seconds: number; readonly rate: number },
): Promise<TypingResult> => {
  const { clients: n, writers, awareness } = typingCase
  const perWriter = Math.round(options.seconds * options.rate)
  const room = freshRoom()
  const sentAt = new Map<string, number>()
  const latencies: number[] = []
  let received = 0
  let echoes = 0
  // A writer's own update coming back is an echo (some relays send it), not a delivery.
  const onUpdateOf =
    (index: number) =>
    (key: string, at: number): void => {
      const sent = sentAt.get(key)
      if (sent === undefined) return
      if (index < writers && key.startsWith(`s${WRITER_CLIENT_ID + index}:`)) {
        echoes++
        return
      }
      if (index < writers && key.startsWith(`d${WRITER_CLIENT_ID + index}:`)) {
        echoes++
        return
      }
      received++
      latencies.push(at - sent)
    }
  const streams = Array.from({ length: writers }, (_, w) => updatesOf(w, perWriter))
  const probes = Math.min(PROBES, n - writers)
  const result = (partial: Partial<TypingResult>): TypingResult => ({
    server: server.id,
    case: typingCase,
    ok: false,
    error: null,
    updates: 0,
    deliveries: 0,
    received,
    echoes,
    latencyMs: distribution(latencies),
    cpuMicrosPerDelivery: NaN,
    cpuPercent: NaN,
    loopDelayMs: null,
    bytesOut: NaN,
    bytesPerDelivery: NaN,
    ...partial,
  })

  let clients: BenchClient[]
  try {
    clients = await connectAll(
      server,
      (i) => new BenchClient(clientOptions(server, proc, room, { probe: i >= writers && i < writers + probes, onUpdate: onUpdateOf(i) })),
      n,
    )
  } catch (error) {
    return result({ error: `connect: ${error instanceof Error ? error.message : String(error)}` })
  }
  const timers: NodeJS.Timeout[] = []
  try {
    if (awareness) {
      clients.forEach((client, i) => {
        const id = 1_000_000 + i
        let clock = 0
        const renew = (): void =>
          client.send(awarenessFrame(id, ++clock, { user: { name: `member ${i}`, color: '#3a7' }, cursor: clock }))
        renew()
        timers.push(setTimeout(() => timers.push(setInterval(renew, 1000)), Math.random() * 1000))
      })
    }
    await sleep(500)
    await proc.probe() // restarts the event-loop histogram
    const bytesBefore = clients.reduce((sum, c) => sum + c.bytesIn, 0)
    const cpuBefore = proc.cpuMicros()
    const started = performance.now()

    // Writers send on a schedule (rate per second each, staggered), from one timer.
    const next = new Array<number>(writers).fill(0)
    const total = perWriter * writers
    await new Promise<void>((done) => {
      const tick = setInterval(() => {
        const elapsed = (performance.now() - started) / 1000
        let sent = 0
        for (let w = 0; w < writers; w++) {
          const due = Math.min(perWriter, Math.floor(elapsed * options.rate + w / writers) + 1)
          const stream = streams[w] as Uint8Array[]
          while ((next[w] as number) < due) {
            const update = stream[next[w] as number] as Uint8Array
            const key = updateKey(update)
            if (key !== null) sentAt.set(key, performance.now())
            ;(clients[w] as BenchClient).send(updateFrame(update))
            next[w] = (next[w] as number) + 1
          }
          sent += next[w] as number
        }
        if (sent >= total) {
          clearInterval(tick)
          done()
        }
      }, 2)
    })
    const deliveries = sentAt.size * (n - 1)
    const drainUntil = performance.now() + DRAIN_MS
    while (received < deliveries && performance.now() < drainUntil) await sleep(10)
    const cpuAfter = proc.cpuMicros()
    const elapsedS = (performance.now() - started) / 1000
    const probe = await proc.probe()
    const bytesOut = clients.reduce((sum, c) => sum + c.bytesIn, 0) - bytesBefore

    const problems: string[] = []
    if (!proc.running()) problems.push('server exited')
    if (received < deliveries) problems.push(`${deliveries - received} of ${deliveries} deliveries missing`)
    const closed = clients.find((c) => c.closed !== null)
    if (closed !== undefined) problems.push(`a client was closed: ${closed.closed?.code} ${closed.closed?.reason}`)
    for (const probeClient of clients.slice(writers, writers + probes)) {
      for (let w = 0; w < writers; w++) {
        const expected = expectedContent(
          loadTrace(TRACE_NAMES[w % TRACE_NAMES.length] as (typeof TRACE_NAMES)[number]),
          perWriter,
        )
        if (probeClient.text(`w${w}`) !== expected) problems.push(`probe text w${w} differs from the trace`)
      }
    }
    return result({
      ok: problems.length === 0,
      error: problems.length === 0 ? null : [...new Set(problems)].join('; '),
      updates: sentAt.size,
      deliveries,
      cpuMicrosPerDelivery: (cpuAfter - cpuBefore) / deliveries,
      cpuPercent: ((cpuAfter - cpuBefore) / 1e6 / elapsedS) * 100,
      loopDelayMs: probe?.loop ?? null,
      bytesOut,
      bytesPerDelivery: bytesOut / deliveries,
    })
  } finally {
    for (const timer of timers) clearInterval(timer)
    for (const client of clients) client.close()
    await sleep(200)
  }
}
