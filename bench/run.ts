import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { runLedgerVerificationBench } from './ledgerVerification'
import { sleep } from './load/stats'
import { renderReport } from './report/markdown'
import type { BenchResults } from './report/BenchResults'
import { SERVERS } from './servers/catalog'
import { loadAverage, machineInfo } from './servers/procStats'
import { hasTaskset, LOAD_CORE, repoRoot } from './servers/serverProcess'
import type { ServerUnderTest } from './servers/ServerUnderTest'
import { poolAbuseRuns, runAbuse, type AbuseResult, type AbuseRun } from './workloads/abuse'
import { runClientBench } from './workloads/clientOpen'
import { coldLoadInput, runColdLoad, runSnapshotFloor, type ColdLoadResult, type SnapshotFloor } from './workloads/coldLoad'
import { prepareIdleRooms, type IdleResult, type IdleRun } from './workloads/idleRooms'
import { runTypingRoom, typingCases, type TypingResult } from './workloads/typingRoom'

/**
 * `npm run bench [-- --quick] [-- --only w1,w3] [-- --out FILE]`: every workload against every
 * server in one run on this machine, then docs/BENCHMARKS.md (plots in docs/benchmarks/). The
 * servers run pinned to core 0 and this load generator to core 1. `--quick` is the short run CI
 * does: fewer cases, shorter windows, a prefix of the long history; it writes its report to
 * bench/out/ (or --out), never to docs/. Exits 1 when a Peerboard or floor run fails its
 * verification (a peer failing a workload is a result, reported in the tables).
 */
const argv = process.argv.slice(2)
const quick = argv.includes('--quick')
const flagValue = (name: string): string | null => {
  const index = argv.indexOf(name)
  return index === -1 ? null : (argv[index + 1] ?? null)
}
const only = new Set((flagValue('--only') ?? 'w1,w2,w3,w4,w5,ledger').split(','))
const outFile = resolve(flagValue('--out') ?? (quick ? join(repoRoot, 'bench/out/BENCHMARKS.quick.md') : join(repoRoot, 'docs/BENCHMARKS.md')))

// The load generator re-runs itself on its own core (the servers get the other one).
if (process.env.BENCH_PINNED === undefined && hasTaskset()) {
  const child = spawnSync('taskset', ['-c', String(LOAD_CORE), process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_PINNED: '1' },
  })
  process.exit(child.status ?? 1)
}

const log = (message: string): void => {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`)
}

const TYPING = quick ? { seconds: 2, rate: 20 } : { seconds: 3, rate: 20 }
const IDLE = quick ? { seconds: 5, rooms: [100] } : { seconds: 60, rooms: [100, 1000] }
const COLD_UPDATES = quick ? 20_000 : null
const ABUSE = quick ? { phaseSeconds: 1, floodSeconds: 3, runs: 2 } : { phaseSeconds: 4, floodSeconds: 4, runs: 3 }
const COLD_TIMEOUT_MS = quick ? 60_000 : 240_000

const started = Date.now()
const loadStart = loadAverage()
const failures: string[] = []
const mustPass = (server: ServerUnderTest): boolean => server.id === 'peerboard' || server.floor

const tempDir = (label: string): string => mkdtempSync(join(tmpdir(), `bench-${label}-`))

const runTyping = async (): Promise<TypingResult[]> => {
  const results: TypingResult[] = []
  for (const server of SERVERS) {
    const dataDir = tempDir('w1')
    const proc = await server.start({ dataDir })
    try {
      for (const typingCase of typingCases(quick)) {
        const result = await runTypingRoom(server, proc, typingCase, TYPING)
        results.push(result)
        log(
          `W1 ${server.id} N=${typingCase.clients} writers=${typingCase.writers} awareness=${typingCase.awareness}: ` +
            `${result.ok ? 'ok' : `FAILED (${result.error})`} p99 ${result.latencyMs.p99.toFixed(1)} ms, ` +
            `${result.cpuMicrosPerDelivery.toFixed(1)} µs/update/observer`,
        )
        if (!result.ok && mustPass(server)) failures.push(`W1 ${server.id}: ${result.error}`)
      }
    } finally {
      await proc.stop()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
  return results
}

const runIdle = async (): Promise<IdleResult[]> => {
  // Set up one server at a time, then let them all sit idle through the same window: idle servers
  // barely use a core, and the full window (60 s) then costs 60 s once rather than eight times.
  const runs: { server: ServerUnderTest; run: IdleRun; stop: () => Promise<unknown>; dataDir: string }[] = []
  try {
    for (const server of SERVERS) {
      for (const rooms of IDLE.rooms) {
        const dataDir = tempDir('w2')
        const proc = await server.start({ dataDir, loopProbe: false })
        runs.push({ server, run: await prepareIdleRooms(server, proc, rooms), stop: () => proc.stop(), dataDir })
        log(`W2 ${server.id}: ${rooms} rooms connected`)
      }
    }
    for (const { run } of runs) run.startIdle()
    log(`W2 idle for ${IDLE.seconds} s`)
    await sleep(IDLE.seconds * 1000)
    const results: IdleResult[] = []
    for (const { server, run } of runs) {
      const result = await run.finish()
      results.push(result)
      log(
        `W2 ${server.id} ${result.rooms} rooms: ${result.ok ? 'ok' : `FAILED (${result.error})`} ` +
          `${(result.perConnectionBytes / 1024).toFixed(1)} KB/connection, ${(result.perRoomBytes / 1024).toFixed(1)} KB/room`,
      )
      if (!result.ok && mustPass(server)) failures.push(`W2 ${server.id}: ${result.error}`)
    }
    return results
  } finally {
    for (const { stop, dataDir } of runs) {
      await stop()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

const runCold = async (): Promise<BenchResults['coldLoad']> => {
  const input = coldLoadInput(COLD_UPDATES)
  log(`W3 ${input.updates.length} updates replayed`)
  let floor: SnapshotFloor | null = null
  let error: string | null = null
  try {
    floor = runSnapshotFloor(input)
    log(`W3 snapshot floor: ${floor.ms.toFixed(1)} ms`)
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught)
    failures.push(`W3 floor: ${error}`)
  }
  const results: ColdLoadResult[] = []
  for (const server of SERVERS.filter((s) => !s.floor)) {
    const result = await runColdLoad(server, input, COLD_TIMEOUT_MS)
    results.push(result)
    log(
      `W3 ${server.id}: ${result.ok ? 'ok' : `FAILED (${result.error})`} write ${result.writeSeconds.toFixed(1)} s, ` +
        `first synced ${result.firstSyncedMs.toFixed(0)} ms, 20 synced ${result.allSyncedMs.toFixed(0)} ms`,
    )
    if (!result.ok && mustPass(server)) failures.push(`W3 ${server.id}: ${result.error}`)
  }
  return { updates: input.updates.length, results, floor, error }
}

const runAbuseAll = async (): Promise<AbuseResult[]> => {
  // Each server runs the whole sequence ABUSE.runs times, each time in a fresh process; the
  // servers take turns, so that a busy stretch of the machine falls on all of them alike.
  const runs = new Map<ServerUnderTest['id'], AbuseRun[]>()
  for (let round = 1; round <= ABUSE.runs; round++) {
    for (const server of SERVERS) {
      const dataDir = tempDir('w4')
      const proc = await server.start({ dataDir })
      try {
        const run = await runAbuse(server, proc, ABUSE)
        runs.set(server.id, [...(runs.get(server.id) ?? []), run])
        log(`W4 ${server.id} run ${round}/${ABUSE.runs}: ${run.ok ? 'stayed up' : `FAILED (${run.error})`}`)
      } finally {
        await proc.stop()
        rmSync(dataDir, { recursive: true, force: true })
      }
    }
  }
  const results = [...runs.values()].map(poolAbuseRuns)
  for (const result of results) {
    const server = SERVERS.find((s) => s.id === result.server) as ServerUnderTest
    if (!result.ok && mustPass(server)) failures.push(`W4 ${server.id}: ${result.error}`)
  }
  return results
}

const attempt = async <T>(what: string, run: () => Promise<T>): Promise<T | { error: string }> => {
  try {
    return await run()
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    failures.push(`${what}: ${message}`)
    log(`${what} FAILED: ${message}`)
    return { error: message }
  }
}

log(`${quick ? 'quick' : 'full'} run; servers pinned to core 0, load generator to core ${LOAD_CORE}${hasTaskset() ? '' : ' (taskset missing: NOT pinned)'}`)
const typing = only.has('w1') ? await runTyping() : []
const idle = only.has('w2') ? await runIdle() : []
const coldLoad = only.has('w3') ? await runCold() : { updates: 0, results: [], floor: null, error: 'not run' }
const abuse = only.has('w4') ? await runAbuseAll() : []
const client = only.has('w5') ? await attempt('W5', () => runClientBench({ quick })) : null
if (client !== null) log(`W5 done${'ok' in client ? (client.ok ? '' : `: FAILED (${client.error})`) : ''}`)
if (client !== null && 'ok' in client && !client.ok) failures.push(`W5: ${client.error}`)
const ledger = only.has('ledger') ? await attempt('ledger verification', () => runLedgerVerificationBench({ quick })) : null
if (ledger !== null) log('ledger verification done')

const gitCommit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).stdout.trim()
const results: BenchResults = {
  quick,
  command: `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`,
  startedAt: new Date(started).toISOString(),
  durationSeconds: (Date.now() - started) / 1000,
  machine: {
    ...machineInfo(),
    node: process.version,
    pinned: hasTaskset(),
    loadAverageStart: loadStart,
    loadAverageEnd: loadAverage(),
  },
  gitCommit,
  servers: SERVERS.map(({ id, label, persistence, floor }) => ({ id, label, persistence, floor })),
  typing: { ...TYPING, results: typing },
  idle: { seconds: IDLE.seconds, results: idle },
  coldLoad,
  abuse: { ...ABUSE, results: abuse },
  client,
  ledger,
}

const report = renderReport(results)
mkdirSync(dirname(outFile), { recursive: true })
writeFileSync(outFile, report.markdown)
for (const [name, svg] of report.plots) {
  mkdirSync(join(dirname(outFile), 'benchmarks'), { recursive: true })
  writeFileSync(join(dirname(outFile), 'benchmarks', name), svg)
}
mkdirSync(join(repoRoot, 'bench/out'), { recursive: true })
writeFileSync(join(repoRoot, 'bench/out', quick ? 'results.quick.json' : 'results.json'), JSON.stringify(results, null, 2))
log(`report: ${outFile} (${results.durationSeconds.toFixed(0)} s)`)
for (const line of report.summary) log(line)
if (failures.length > 0) {
  log(`${failures.length} verification failure(s):`)
  for (const failure of failures) log(`  ${failure}`)
  process.exit(1)
}
