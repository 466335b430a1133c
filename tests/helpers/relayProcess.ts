import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const repoRoot = resolve(import.meta.dirname, '..', '..')

export interface RelayProcess {
  readonly url: string
  readonly port: number
  readonly wsUrl: string
  readonly dataDir: string
  readonly child: ChildProcess
  /** Everything the relay printed so far (stdout and stderr). */
  output(): string
  /** Sends the signal and resolves with the exit code (or the signal's name). */
  stop(signal?: NodeJS.Signals): Promise<number | string>
}

export const tempDataDir = (): string => mkdtempSync(join(tmpdir(), 'peerboard-test-'))

/**
 * Starts the real relay (`server/src/main.ts`) in its own process on a free port and waits for
 * the line that says where it listens.
 */
export const startRelayProcess = async (
  options: { dataDir?: string; env?: Record<string, string>; port?: number } = {},
): Promise<RelayProcess> => {
  const dataDir = options.dataDir ?? tempDataDir()
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'server/src/main.ts')], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(options.port ?? 0),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'debug',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | string>((done) =>
    child.on('exit', (code, signal) => done(code ?? signal ?? 'unknown')),
  )
  const port = await new Promise<number>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`relay did not start in 30 s:\n${output}`)), 30_000)
    const check = (): void => {
      const match = /Peerboard is running at http:\/\/127\.0\.0\.1:(\d+)\//.exec(output)
      if (match !== null) {
        clearTimeout(timer)
        done(Number(match[1]))
      }
    }
    child.stdout.on('data', check)
    void exited.then((code) => {
      clearTimeout(timer)
      fail(new Error(`relay exited (${code}) before listening:\n${output}`))
    })
  })
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    wsUrl: `ws://127.0.0.1:${port}/sync`,
    dataDir,
    child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      return exited
    },
  }
}
