import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { cpuMicros, isRunning, memory } from './procStats'

export const repoRoot = resolve(import.meta.dirname, '..', '..')

/** The core servers run on; the load generator runs on SERVER_CORE's neighbour (bench/run.ts). */
export const SERVER_CORE = 0
export const LOAD_CORE = 1

export const hasTaskset = (): boolean => spawnSync('taskset', ['-V']).status === 0

export interface ProbeReport {
  readonly rss: number
  readonly heapUsed: number
  readonly external: number
  /** Event-loop delay since the previous report (ms), or null when not measured. */
  readonly loop: { p50: number; p99: number; max: number } | null
}

export interface ServerProcess {
  readonly pid: number
  readonly port: number
  readonly child: ChildProcess
  /** Everything the process printed (capped), for failure reports. */
  output(): string
  cpuMicros(): number
  memory(): { rss: number; peakRss: number }
  running(): boolean
  /** Asks the preloaded probe (servers/loopProbe.ts) for memory after GC and event-loop delay. */
  probe(): Promise<ProbeReport | null>
  /** SIGTERM (the server's own graceful shutdown), SIGKILL after `graceMs`; resolves on exit. */
  stop(graceMs?: number): Promise<number | string>
}

const OUTPUT_CAP = 200_000

/**
 * Starts `node --import tsx <entry>` pinned to SERVER_CORE (when taskset exists), with the
 * event-loop probe preloaded and --expose-gc, and resolves once `ready` matches its output (the
 * match's first group is the port).
 */
export const startServerProcess = async (options: {
  readonly entry: string
  readonly args?: readonly string[]
  readonly env: Record<string, string>
  readonly ready: RegExp
}): Promise<ServerProcess> => {
  // `node --import tsx` (not the tsx CLI, which would put a wrapper process between us and the
  // server): TypeScript is compiled once at load; what runs afterwards is plain JavaScript.
  const nodeArgs = [
    // BENCH_SERVER_NODE_ARGS: extra node flags for every server (e.g. --cpu-prof), for investigating.
    ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== ''),
    '--expose-gc',
    '--import',
    'tsx',
    '--import',
    resolve(repoRoot, 'bench/servers/loopProbe.ts'),
    options.entry,
    ...(options.args ?? []),
  ]
  const [command, args] = hasTaskset()
    ? ['taskset', ['-c', String(SERVER_CORE), process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs]
  // taskset execs node: the child's pid is the server's.
  const child = spawn(command as string, args as string[], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const probes: ((report: ProbeReport | null) => void)[] = []
  const onData = (chunk: Buffer): void => {
    const text = chunk.toString()
    for (const line of text.split('\n')) {
      if (line.startsWith('BENCH_PROBE ')) probes.shift()?.(JSON.parse(line.slice(12)) as ProbeReport)
    }
    if (output.length < OUTPUT_CAP) output += text
  }
  child.stdout.on('data', onData)
  child.stderr.on('data', onData)
  const exited = new Promise<number | string>((done) => child.on('exit', (code, signal) => done(code ?? signal ?? 'unknown')))
  const port = await new Promise<number>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`${options.entry} did not start in 30 s:\n${output}`)), 30_000)
    const check = (): void => {
      const match = options.ready.exec(output)
      if (match === null) return
      clearTimeout(timer)
      child.stdout.off('data', check)
      child.stderr.off('data', check)
      done(Number(match[1]))
    }
    child.stdout.on('data', check)
    child.stderr.on('data', check)
    void exited.then((code) => {
      clearTimeout(timer)
      fail(new Error(`${options.entry} exited (${code}) before listening:\n${output}`))
    })
  })
  const pid = child.pid as number
  return {
    pid,
    port,
    child,
    output: () => output,
    cpuMicros: () => cpuMicros(pid),
    memory: () => memory(pid),
    running: () => child.exitCode === null && child.signalCode === null && isRunning(pid),
    probe: () =>
      new Promise((done) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          done(null)
          return
        }
        const timer = setTimeout(() => {
          const index = probes.indexOf(answer)
          if (index !== -1) probes.splice(index, 1)
          done(null)
        }, 10_000)
        const answer = (report: ProbeReport | null): void => {
          clearTimeout(timer)
          done(report)
        }
        probes.push(answer)
        child.kill('SIGUSR2')
      }),
    stop: async (graceMs = 20_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return exited
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
      const code = await exited
      clearTimeout(timer)
      return code
    },
  }
}
