import { readFileSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import { isLogLevel, type LogLevel } from './log'
import { parseTrustedProxies, type AddressRange } from './relay/clientAddress'

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
  /** Largest frame accepted; a bigger one closes that socket (SPEC [L1]). */
  readonly maxMessageBytes: number
  readonly logLevel: LogLevel
  /** Token mode when set (SPEC [A1]); open mode when null. */
  readonly secret: string | null
  /** Origins allowed to open sockets (SPEC [A5]); null admits any. */
  readonly allowedOrigins: readonly string[] | null
  /** Per-socket token buckets (SPEC [L2]). */
  readonly rateMessagesPerSecond: number
  readonly rateBytesPerSecond: number
  readonly rateBurstSeconds: number
  /** How long a socket may stay over its rate before it is closed with a retryable code. */
  readonly throttleLimitSeconds: number
  /** SPEC [L3]-[L6]. */
  readonly maxConnectionsPerIp: number
  readonly maxRooms: number
  readonly maxDocBytes: number
  readonly maxAwarenessBytes: number
  readonly awarenessPerSecond: number
  /** SPEC [Y7]: updates held because they cannot be integrated yet. */
  readonly maxPendingBytes: number
  readonly maxPendingBytesPerSocket: number
  /** SPEC [Y8]: presence entries. */
  readonly maxAwarenessPerSocket: number
  readonly maxAwarenessPerRoom: number
  /** Peers whose X-Forwarded-For is believed (SPEC [L8]); none by default. */
  readonly trustedProxies: readonly AddressRange[]
  /** Sockets without a complete request head yet, per peer address and overall (SPEC [L9]). */
  readonly maxPendingUpgradesPerIp: number
  readonly maxPendingUpgrades: number
  /** Time a client has to send a whole request (head, then body) before its socket is closed. */
  readonly requestTimeoutMs: number
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

const secret = (raw: string, name: string): string => {
  if (raw.trim().length < 32) {
    throw new ConfigError(`invalid ${name}: the secret must be at least 32 characters (try: openssl rand -base64 48)`)
  }
  return raw.trim()
}

const secretFile = (raw: string, name: string): string => {
  let content: string
  try {
    content = readFileSync(raw, 'utf8')
  } catch (error) {
    throw new ConfigError(`invalid ${name} "${raw}": cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  return secret(content, name)
}

const origins = (raw: string, name: string): string[] => {
  const list = raw
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '')
  for (const origin of list) {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin) {
      throw new ConfigError(`invalid ${name} "${origin}": expected origins like https://board.example.org`)
    }
  }
  return list
}

const trustedProxies = (raw: string, name: string): AddressRange[] => {
  const parsed = parseTrustedProxies(raw)
  if ('invalid' in parsed) {
    throw new ConfigError(
      `invalid ${name} "${parsed.invalid}": expected comma-separated IP addresses or CIDR ranges, ` +
        'like 127.0.0.1,::1 or 10.0.0.0/8',
    )
  }
  return parsed.ranges
}

const logLevel = (raw: string, name: string): LogLevel => {
  if (!isLogLevel(raw)) {
    throw new ConfigError(`invalid ${name} "${raw}": expected one of debug, info, warn, error`)
  }
  return raw
}

const setting = (env: string, key: keyof RelayConfig, parse: Setting['parse']): Setting => ({
  env,
  key,
  parse,
  flag: `--${env.toLowerCase().replaceAll('_', '-')}`,
})

const MiB = 1024 * 1024

const SETTINGS: readonly Setting[] = [
  setting('PORT', 'port', integer(0, 65535)),
  setting('HOST', 'host', nonEmpty),
  setting('DATA_DIR', 'dataDir', directory),
  setting('STATIC_DIR', 'staticDir', directory),
  setting('COMPACT_AFTER_UPDATES', 'compactAfterUpdates', integer(1, 10_000_000)),
  setting('COMPACT_AFTER_BYTES', 'compactAfterBytes', integer(1024, 2 ** 40)),
  setting('PING_INTERVAL_MS', 'pingIntervalMs', integer(100, 25_000)),
  setting('LOG_LEVEL', 'logLevel', logLevel),
  { ...setting('RELAY_SECRET', 'secret', secret), flag: '--secret' },
  { ...setting('RELAY_SECRET_FILE', 'secret', secretFile), flag: '--secret-file' },
  setting('ALLOWED_ORIGINS', 'allowedOrigins', origins),
  setting('MAX_MESSAGE_BYTES', 'maxMessageBytes', integer(1024, 1024 * MiB)),
  setting('RATE_MESSAGES_PER_SECOND', 'rateMessagesPerSecond', integer(1, 1_000_000)),
  setting('RATE_BYTES_PER_SECOND', 'rateBytesPerSecond', integer(1024, 1024 * MiB)),
  setting('RATE_BURST_SECONDS', 'rateBurstSeconds', integer(1, 3600)),
  setting('THROTTLE_LIMIT_SECONDS', 'throttleLimitSeconds', integer(1, 86_400)),
  setting('MAX_CONNECTIONS_PER_IP', 'maxConnectionsPerIp', integer(1, 1_000_000)),
  setting('MAX_ROOMS', 'maxRooms', integer(1, 10_000_000)),
  setting('MAX_DOC_BYTES', 'maxDocBytes', integer(1024, 64 * 1024 * MiB)),
  setting('MAX_AWARENESS_BYTES', 'maxAwarenessBytes', integer(64, 16 * MiB)),
  setting('AWARENESS_PER_SECOND', 'awarenessPerSecond', integer(1, 100_000)),
  setting('MAX_PENDING_BYTES', 'maxPendingBytes', integer(0, 1024 * MiB)),
  setting('MAX_PENDING_BYTES_PER_SOCKET', 'maxPendingBytesPerSocket', integer(0, 1024 * MiB)),
  setting('MAX_AWARENESS_PER_SOCKET', 'maxAwarenessPerSocket', integer(1, 100_000)),
  setting('MAX_AWARENESS_PER_ROOM', 'maxAwarenessPerRoom', integer(1, 1_000_000)),
  setting('TRUSTED_PROXIES', 'trustedProxies', trustedProxies),
  setting('MAX_PENDING_UPGRADES_PER_IP', 'maxPendingUpgradesPerIp', integer(1, 1_000_000)),
  setting('MAX_PENDING_UPGRADES', 'maxPendingUpgrades', integer(1, 1_000_000)),
  setting('REQUEST_TIMEOUT_MS', 'requestTimeoutMs', integer(1000, 300_000)),
]

export const defaultConfig = (staticDir: string): RelayConfig => ({
  port: 8787,
  host: '127.0.0.1',
  dataDir: resolve('data'),
  staticDir,
  compactAfterUpdates: 500,
  compactAfterBytes: 1024 * 1024,
  pingIntervalMs: 10_000,
  maxMessageBytes: 16 * MiB,
  logLevel: 'info',
  secret: null,
  allowedOrigins: null,
  rateMessagesPerSecond: 200,
  rateBytesPerSecond: 4 * MiB,
  rateBurstSeconds: 10,
  throttleLimitSeconds: 30,
  maxConnectionsPerIp: 64,
  maxRooms: 5000,
  maxDocBytes: 128 * MiB,
  maxAwarenessBytes: 64 * 1024,
  awarenessPerSecond: 20,
  maxPendingBytes: 4 * MiB,
  maxPendingBytesPerSocket: 1 * MiB,
  maxAwarenessPerSocket: 32,
  maxAwarenessPerRoom: 1000,
  trustedProxies: [],
  maxPendingUpgradesPerIp: 16,
  maxPendingUpgrades: 1024,
  requestTimeoutMs: 10_000,
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
