import * as Y from 'yjs'
import { awarenessFrame, BenchClient, updateFrame } from '../load/BenchClient'
import { clientOptions, connectAll, freshRoom } from '../load/rooms'
import { sleep } from '../load/stats'
import type { ProbeReport, ServerProcess } from '../servers/serverProcess'
import type { ServerUnderTest } from '../servers/ServerUnderTest'

/**
 * W2, idle rooms: R rooms, each with a small document (one 200-character update) and first one,
 * then two connected clients that then sit idle, renewing their presence every 15 s as the
 * y-websocket provider does. Memory is read after a full GC in the server (servers/loopProbe.ts),
 * after each quarter of the rooms: per connection = slope of memory over second clients; per room =
 * slope over rooms with one client each, minus one connection. Idle CPU is the server's
 * CPU time over the idle window. Checked: every client still connected at the end, and the second
 * client of each room received the document.
 */

export interface IdleResult {
  readonly server: ServerUnderTest['id']
  readonly rooms: number
  readonly ok: boolean
  readonly error: string | null
  readonly connections: number
  readonly idleSeconds: number
  readonly rssBytes: { readonly baseline: number; readonly oneEach: number; readonly twoEach: number; readonly end: number }
  readonly perRoomBytes: number
  readonly perConnectionBytes: number
  readonly heapPerRoomBytes: number
  readonly heapPerConnectionBytes: number
  readonly idleCpuPercent: number
}

const PRESENCE_RENEW_MS = 15_000
const SETTLE_MS = 1_000

const smallDocUpdate = (): Uint8Array => {
  const doc = new Y.Doc()
  doc.clientID = 5_151_515
  doc.getText('text').insert(0, 'A small proposal: '.padEnd(200, 'x'))
  return Y.encodeStateAsUpdate(doc)
}

export interface IdleRun {
  /** Starts the idle window (CPU from here). */
  startIdle(): void
  /** Ends it: measures, checks, closes every client. */
  finish(): Promise<IdleResult>
}

const bytes = (report: ProbeReport | null, key: 'rss' | 'heapUsed'): number => report?.[key] ?? NaN

const STEPS = 4

interface Sample {
  /** Rooms (first pass) or second connections (second pass) so far. */
  readonly x: number
  readonly rss: number
  /** V8 heap in use plus memory held outside it by JS objects (socket buffers among it). */
  readonly heap: number
  readonly report: ProbeReport | null
}

const sampleOf = (x: number, report: ProbeReport | null): Sample => ({
  x,
  rss: report?.rss ?? NaN,
  heap: report === null ? NaN : report.heapUsed + report.external,
  report,
})

/** Least-squares slope of `y` over the samples' x. */
const slope = (samples: readonly Sample[], y: (s: Sample) => number): number => {
  const n = samples.length
  const mx = samples.reduce((sum, s) => sum + s.x, 0) / n
  const my = samples.reduce((sum, s) => sum + y(s), 0) / n
  const sxy = samples.reduce((sum, s) => sum + (s.x - mx) * (y(s) - my), 0)
  const sxx = samples.reduce((sum, s) => sum + (s.x - mx) ** 2, 0)
  return sxx === 0 ? NaN : sxy / sxx
}

/** Connects the rooms (one client each, then two) and measures memory; the idle window is the caller's. */
export const prepareIdleRooms = async (
  server: ServerUnderTest,
  proc: ServerProcess,
  rooms: number,
): Promise<IdleRun> => {
  const update = smallDocUpdate()
  const names = Array.from({ length: rooms }, () => freshRoom())
  const timers: NodeJS.Timeout[] = []
  const present = (client: BenchClient, id: number): void => {
    let clock = 0
    const renew = (): void => client.send(awarenessFrame(id, ++clock, { user: { name: `member ${id}`, color: '#3a7' } }))
    renew()
    timers.push(setInterval(renew, PRESENCE_RENEW_MS))
  }
  const failed = (error: unknown, connections: number): IdleRun => ({
    startIdle: () => undefined,
    finish: async () => {
      for (const timer of timers) clearInterval(timer)
      return {
        server: server.id,
        rooms,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
        connections,
        idleSeconds: 0,
        rssBytes: { baseline: NaN, oneEach: NaN, twoEach: NaN, end: NaN },
        perRoomBytes: NaN,
        perConnectionBytes: NaN,
        heapPerRoomBytes: NaN,
        heapPerConnectionBytes: NaN,
        idleCpuPercent: NaN,
      }
    },
  })

  // Memory is sampled after each of STEPS equal batches and the growth per room and per
  // connection taken as least-squares slopes: one difference of two RSS readings is dominated by
  // the allocator's steps (V8 grows its spaces by megabytes), a slope over several is not.
  const baseline = await proc.probe()
  const one: Sample[] = [sampleOf(0, baseline)]
  const first: BenchClient[] = []
  const second: BenchClient[] = []
  const batch = Math.ceil(rooms / STEPS)
  try {
    for (let lo = 0; lo < rooms; lo += batch) {
      const hi = Math.min(rooms, lo + batch)
      const added = await connectAll(server, (i) => new BenchClient(clientOptions(server, proc, names[lo + i] as string)), hi - lo, 60_000, 100)
      added.forEach((client, i) => {
        client.send(updateFrame(update))
        present(client, 100_000 + lo + i)
      })
      first.push(...added)
      await sleep(SETTLE_MS)
      one.push(sampleOf(hi, await proc.probe()))
    }
  } catch (error) {
    for (const client of first) client.close()
    return failed(error, first.length)
  }
  const two: Sample[] = [sampleOf(0, one[one.length - 1]?.report ?? null)]
  try {
    for (let lo = 0; lo < rooms; lo += batch) {
      const hi = Math.min(rooms, lo + batch)
      const added = await connectAll(
        server,
        (i) => new BenchClient(clientOptions(server, proc, names[lo + i] as string, { probe: lo + i < 5 })),
        hi - lo,
        60_000,
        100,
      )
      added.forEach((client, i) => present(client, 200_000 + lo + i))
      second.push(...added)
      await sleep(SETTLE_MS)
      two.push(sampleOf(hi, await proc.probe()))
    }
  } catch (error) {
    for (const client of [...first, ...second]) client.close()
    return failed(error, first.length + second.length)
  }
  let cpuStart = NaN
  let idleStart = NaN

  return {
    startIdle: () => {
      cpuStart = proc.cpuMicros()
      idleStart = performance.now()
    },
    finish: async () => {
      const cpuEnd = proc.cpuMicros()
      const idleSeconds = (performance.now() - idleStart) / 1000
      const end = await proc.probe()
      for (const timer of timers) clearInterval(timer)
      const clients = [...first, ...second]
      const problems: string[] = []
      if (!proc.running()) problems.push('server exited')
      const closed = clients.filter((c) => c.closed !== null)
      if (closed.length > 0) problems.push(`${closed.length} of ${clients.length} clients were disconnected while idle (first: ${closed[0]?.closed?.code})`)
      // The floor keeps no document: a client joining later never receives it.
      if (!server.floor) {
        const expected = 'A small proposal: '.padEnd(200, 'x')
        if (second.slice(0, 5).some((c) => c.text('text') !== expected)) problems.push('a second client did not receive the document')
      }
      for (const client of clients) client.close()
      const perConnection = slope(two, (x) => x.rss)
      const heapPerConnection = slope(two, (x) => x.heap)
      return {
        server: server.id,
        rooms,
        ok: problems.length === 0,
        error: problems.length === 0 ? null : problems.join('; '),
        connections: clients.length,
        idleSeconds,
        rssBytes: {
          baseline: bytes(baseline, 'rss'),
          oneEach: one[one.length - 1]?.rss ?? NaN,
          twoEach: two[two.length - 1]?.rss ?? NaN,
          end: bytes(end, 'rss'),
        },
        perConnectionBytes: perConnection,
        perRoomBytes: slope(one, (x) => x.rss) - perConnection,
        heapPerConnectionBytes: heapPerConnection,
        heapPerRoomBytes: slope(one, (x) => x.heap) - heapPerConnection,
        idleCpuPercent: ((cpuEnd - cpuStart) / 1e6 / idleSeconds) * 100,
      }
    },
  }
}
