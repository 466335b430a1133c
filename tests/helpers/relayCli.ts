import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { tempDataDir } from './relayProcess'

const repoRoot = resolve(import.meta.dirname, '..', '..')

export interface CliRun {
  readonly code: number | string
  readonly stdout: string
  readonly stderr: string
  /** The port, if the relay got as far as listening (it is then stopped with SIGTERM). */
  readonly listeningPort: number | null
}

/** Environment variables the relay reads; removed from the inherited environment so tests control them. */
const RELAY_ENV = [
  'PORT',
  'HOST',
  'DATA_DIR',
  'STATIC_DIR',
  'COMPACT_AFTER_UPDATES',
  'COMPACT_AFTER_BYTES',
  'PING_INTERVAL_MS',
  'MAX_MESSAGE_BYTES',
  'LOG_LEVEL',
  'TRUSTED_PROXIES',
  'MAX_PENDING_UPGRADES_PER_IP',
  'MAX_PENDING_UPGRADES',
  'REQUEST_TIMEOUT_MS',
]

/**
 * Runs `node --import tsx server/src/main.ts <args>` with exactly the relay settings in `env` (plus
 * a temp DATA_DIR unless given) and waits for it to exit. If it starts listening instead, it is
 * stopped with SIGTERM and `listeningPort` says where it listened.
 */
export const runRelayCli = async (
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<CliRun> => {
  const inherited = { ...process.env }
  for (const name of RELAY_ENV) delete inherited[name]
  const dataDir = tempDataDir()
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'server/src/main.ts'), ...args], {
    cwd: repoRoot,
    env: { ...inherited, DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  let listeningPort: number | null = null
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
    const match = /Peerboard is running at http:\/\/[^:]+:(\d+)\//.exec(stdout)
    if (match !== null && listeningPort === null) {
      listeningPort = Number(match[1])
      child.kill('SIGTERM')
    }
  })
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const code = await new Promise<number | string>((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('exit', (exitCode, signal) => {
      clearTimeout(timer)
      done(exitCode ?? signal ?? 'unknown')
    })
  })
  rmSync(dataDir, { recursive: true, force: true })
  return { code, stdout, stderr, listeningPort }
}
