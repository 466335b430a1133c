import { isAbsolute, resolve } from 'node:path'
import { isLogLevel, type LogLevel } from './log'

/** Everything the relay can be told at start. See docs/ARCHITECTURE.md for each setting. */
export interface RelayConfig {
  readonly port: number
  readonly host: string
  readonly dataDir: string
  /** Directory of the built client (vite build output) served on the same port. */
  readonly staticDir: string
  /** Compact a room's log into one snapshot past this many updates ... */
  readonly compactAfterUpdates: number
  /** ... or past this many bytes. */
  readonly compactAfterBytes: number
  /** How often each socket is pinged; a socket that missed the previous pong is dropped. */
  readonly pingIntervalMs: number
  /** Largest frame accepted; a bigger one closes that socket. */
  readonly maxMessageBytes: number
  readonly logLevel: LogLevel
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

interface Setting {
  readonly env: string
  readonly flag: string
  readonly parse: (raw: string, name: string) => unknown
  readonly key: keyof RelayConfig
}

const integer =
  (min: number, max: number) =>
  (raw: string, name: string): number => {
    if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
      throw new ConfigError(`invalid ${name} "${raw}": expected an integer from ${min} to ${max}`)
    }
    return Number(raw)
  }

const nonEmpty = (raw: string, name: string): string => {
  if (raw.trim() === '' || /\s/.test(raw.trim())) {
    throw new ConfigError(`invalid ${name} "${raw}": expected a non-empty value without spaces`)
  }
  return raw.trim()
}

const directory = (raw: string, name: string): string => {
  if (raw.trim() === '') throw new ConfigError(`invalid ${name}: expected a directory path`)
  return isAbsolute(raw) ? raw : resolve(raw)
}

const logLevel = (raw: string, name: string): LogLevel => {
  if (!isLogLevel(raw)) {
    throw new ConfigError(`invalid ${name} "${raw}": expected one of debug, info, warn, error`)
  }
  return raw
}

const SETTINGS: readonly Setting[] = [
  { env: 'PORT', flag: '--port', key: 'port', parse: integer(0, 65535) },
  { env: 'HOST', flag: '--host', key: 'host', parse: nonEmpty },
  { env: 'DATA_DIR', flag: '--data-dir', key: 'dataDir', parse: directory },
  { env: 'STATIC_DIR', flag: '--static-dir', key: 'staticDir', parse: directory },
  {
    env: 'COMPACT_AFTER_UPDATES',
    flag: '--compact-after-updates',
    key: 'compactAfterUpdates',
    parse: integer(1, 10_000_000),
  },
  {
    env: 'COMPACT_AFTER_BYTES',
    flag: '--compact-after-bytes',
    key: 'compactAfterBytes',
    parse: integer(1024, 2 ** 40),
  },
  { env: 'PING_INTERVAL_MS', flag: '--ping-interval-ms', key: 'pingIntervalMs', parse: integer(100, 25_000) },
  {
    env: 'MAX_MESSAGE_BYTES',
    flag: '--max-message-bytes',
    key: 'maxMessageBytes',
    parse: integer(1024, 1024 ** 3),
  },
  { env: 'LOG_LEVEL', flag: '--log-level', key: 'logLevel', parse: logLevel },
]

export const defaultConfig = (staticDir: string): RelayConfig => ({
  port: 8787,
  host: '127.0.0.1',
  dataDir: resolve('data'),
  staticDir,
  compactAfterUpdates: 500,
  compactAfterBytes: 1024 * 1024,
  pingIntervalMs: 10_000,
  maxMessageBytes: 32 * 1024 * 1024,
  logLevel: 'info',
})

/**
 * The relay's configuration from environment variables and command-line flags (flags win).
 * Throws a ConfigError whose one-line message names the bad setting.
 */
export const parseConfig = (
  env: Readonly<Record<string, string | undefined>>,
  argv: readonly string[],
  defaults: RelayConfig,
): RelayConfig => {
  const values: Record<string, unknown> = { ...defaults }
  for (const setting of SETTINGS) {
    const raw = env[setting.env]
    if (raw !== undefined && raw !== '') values[setting.key] = setting.parse(raw, setting.env)
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    const eq = arg.indexOf('=')
    const flag = eq === -1 ? arg : arg.slice(0, eq)
    const setting = SETTINGS.find((s) => s.flag === flag)
    if (setting === undefined) {
      throw new ConfigError(`unknown option "${flag}" (known: ${SETTINGS.map((s) => s.flag).join(', ')})`)
    }
    let raw: string | undefined
    if (eq !== -1) raw = arg.slice(eq + 1)
    else raw = argv[++i]
    if (raw === undefined) throw new ConfigError(`option ${flag} needs a value`)
    values[setting.key] = setting.parse(raw, flag)
  }
  return values as unknown as RelayConfig
}
