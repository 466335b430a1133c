import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import * as Y from 'yjs'
import { BenchClient, updateFrame } from '../load/BenchClient'
import { clientOptions, connectAll, freshRoom } from '../load/rooms'
import { sleep, until } from '../load/stats'
import { expectedContent, loadTrace, replayUpdates } from '../load/traces'
import { hasTaskset, repoRoot, SERVER_CORE } from '../servers/serverProcess'
import type { ServerUnderTest } from '../servers/ServerUnderTest'

/**
 * W3, cold load of a long history: automerge-paper's updates (one per keystroke) are sent through
 * each server, which stores them as it does; the server is stopped (SIGTERM, its own shutdown) and
 * started again; then 20 clients connect at once (one probe with a real Y.Doc, 19 that only read
 * the state vectors of what they receive). A client counts as synced when it holds the whole
 * document (the writer's last clock), not merely when it was answered: a relay may answer before
 * it has loaded the document. Measured from the moment the restarted server listens: until the
 * first client is synced, until all 20 are, until the probe has applied it (its text checked
 * against the trace's endContent), and the server's peak RSS. The floor loads one snapshot of the same document in a
 * fresh process.
 */

export interface ColdLoadResult {
  readonly server: ServerUnderTest['id']
  readonly ok: boolean
  readonly error: string | null
  readonly updates: number
  readonly writeSeconds: number
  readonly storedBytes: number
  readonly firstSyncedMs: number
  readonly allSyncedMs: number
  readonly probeSyncedMs: number
  readonly peakRssBytes: number
  readonly rssAfterBytes: number
}

export interface SnapshotFloor {
  readonly ms: number
  readonly snapshotBytes: number
  readonly peakRssBytes: number
}

const TEXT = 'text'
const WRITER_ID = 4_242_424
const CLIENTS = 20

export interface ColdLoadInput {
  readonly updates: Uint8Array[]
  readonly expected: string
  readonly snapshot: Uint8Array
  /** The writer's clock in the final state: a client holding it holds the whole document. */
  readonly clock: number
}

/** The trace's updates (the first `count`, or all), the content they make, and its snapshot. */
export const coldLoadInput = (count: number | null): ColdLoadInput => {
  const trace = loadTrace('automerge-paper')
  const n = count ?? trace.txns.length
  const { updates, doc } = replayUpdates(trace, n, WRITER_ID, TEXT)
  const expected = n === trace.txns.length ? trace.endContent : expectedContent(trace, n)
  if (doc.getText(TEXT).toString() !== expected) throw new Error('automerge-paper replay does not match the trace')
  return { updates, expected, snapshot: Y.encodeStateAsUpdate(doc), clock: Y.getState(doc.store, WRITER_ID) }
}

const directorySize = (dir: string): number => {
  const du = spawnSync('du', ['-sb', dir], { encoding: 'utf8' })
  return Number(du.stdout.split('\t')[0] ?? NaN)
}

/** Frames in flight before the writer waits for the server to catch up. */
const WINDOW = 5_000

/**
 * Sends every update over one socket, WINDOW at a time, waiting after each window until the
 * server has handled it (a SyncStep1 round trip). Without this the socket's buffers would hold
 * more seconds of work than the servers' liveness checks allow (Peerboard drops a socket whose pong
 * is more than 10 s late, and the pong queues behind the updates).
 */
const sendAll = async (client: BenchClient, updates: readonly Uint8Array[]): Promise<void> => {
  for (let i = 0; i < updates.length; i++) {
    client.send(updateFrame(updates[i] as Uint8Array))
    if ((i + 1) % WINDOW === 0 || i === updates.length - 1) await client.roundTrip(60_000)
  }
}

export const runColdLoad = async (server: ServerUnderTest, input: ColdLoadInput, timeoutMs: number): Promise<ColdLoadResult> => {
  const dataDir = mkdtempSync(join(tmpdir(), `bench-w3-${server.id}-`))
  const room = freshRoom()
  const result = (partial: Partial<ColdLoadResult>): ColdLoadResult => ({
    server: server.id,
    ok: false,
    error: null,
    updates: input.updates.length,
    writeSeconds: NaN,
    storedBytes: NaN,
    firstSyncedMs: NaN,
    allSyncedMs: NaN,
    probeSyncedMs: NaN,
    peakRssBytes: NaN,
    rssAfterBytes: NaN,
    ...partial,
  })
  // Peerboard's per-socket rate limit (200 messages/s) would make one socket take 20 minutes to
  // type the paper; the history is what is measured here, not the limit.
  const env = server.id === 'peerboard' ? { RATE_MESSAGES_PER_SECOND: '1000000', RATE_BYTES_PER_SECOND: String(1024 * 1024 * 1024) } : {}
  let proc = await server.start({ dataDir, env })
  try {
    const started = performance.now()
    const [writer] = await connectAll(server, () => new BenchClient(clientOptions(server, proc, room)), 1)
    await sendAll(writer as BenchClient, input.updates)
    const [check] = await connectAll(server, () => new BenchClient(clientOptions(server, proc, room, { probe: true })), 1)
    const checker = check as BenchClient
    try {
      await until('the written document to reach a new client', () => checker.text(TEXT) === input.expected, timeoutMs, 100)
    } catch (error) {
      writer?.close()
      checker.close()
      return result({ error: `write: ${error instanceof Error ? error.message : String(error)} (has ${checker.text(TEXT).length} of ${input.expected.length} chars)` })
    }
    const writeSeconds = (performance.now() - started) / 1000
    writer?.close()
    checker.close()
    await sleep(500)
    const exit = await proc.stop(60_000)
    if (exit !== 0) return result({ writeSeconds, error: `shutdown after writing exited with ${exit}` })
    const storedBytes = directorySize(dataDir)

    proc = await server.start({ dataDir, env })
    const problemsBefore: string[] = []
    const t0 = performance.now()
    const completeAt = { client: WRITER_ID, clock: input.clock }
    const clients = Array.from(
      { length: CLIENTS },
      (_, i) => new BenchClient(clientOptions(server, proc, room, { probe: i === 0, completeAt })),
    )
    const probe = clients[0] as BenchClient
    try {
      await until(
        '20 clients to hold the document after the restart',
        () => clients.every((c) => c.completeAt !== null || c.closed !== null),
        timeoutMs,
        5,
      )
    } catch (error) {
      problemsBefore.push(error instanceof Error ? error.message : String(error))
    } finally {
      for (const client of clients) client.close()
    }
    const synced = clients.map((c) => c.completeAt).filter((at): at is number => at !== null)
    const problems: string[] = [...problemsBefore]
    if (synced.length < CLIENTS) problems.push(`${CLIENTS - synced.length} clients were not synced`)
    if (probe.text(TEXT) !== input.expected) {
      problems.push(`probe has ${probe.text(TEXT).length} chars, expected ${input.expected.length} (endContent)`)
    }
    const memory = proc.memory()
    return result({
      ok: problems.length === 0,
      error: problems.length === 0 ? null : problems.join('; '),
      writeSeconds,
      storedBytes,
      firstSyncedMs: Math.min(...synced) - t0,
      allSyncedMs: Math.max(...synced) - t0,
      probeSyncedMs: (probe.completeAt ?? NaN) - t0,
      peakRssBytes: memory.peakRss,
      rssAfterBytes: memory.rss,
    })
  } catch (error) {
    return result({ error: error instanceof Error ? error.message : String(error) })
  } finally {
    await proc.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/** The floor: one snapshot applied in a fresh process on the server's core (median of 3). */
export const runSnapshotFloor = (input: ColdLoadInput): SnapshotFloor => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-w3-floor-'))
  const file = join(dir, 'snapshot.bin')
  writeFileSync(file, input.snapshot)
  const runs: { ms: number; peakRss: number }[] = []
  try {
    for (let i = 0; i < 3; i++) {
      const args = ['--import', 'tsx', resolve(repoRoot, 'bench/workloads/snapshotFloorMain.ts'), file]
      const run = hasTaskset()
        ? spawnSync('taskset', ['-c', String(SERVER_CORE), process.execPath, ...args], { cwd: repoRoot, encoding: 'utf8' })
        : spawnSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8' })
      const line = /BENCH_SNAPSHOT (.+)/.exec(run.stdout)?.[1]
      if (line === undefined) throw new Error(`snapshot floor failed: ${run.stderr}`)
      const parsed = JSON.parse(line) as { ms: number; peakRss: number; length: number }
      if (parsed.length !== input.expected.length) throw new Error('snapshot floor loaded the wrong document')
      runs.push(parsed)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  runs.sort((a, b) => a.ms - b.ms)
  const median = runs[1] as { ms: number; peakRss: number }
  return { ms: median.ms, snapshotBytes: input.snapshot.byteLength, peakRssBytes: median.peakRss }
}
