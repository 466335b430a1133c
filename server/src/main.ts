import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runTokenCommand } from './cli/tokenCommand'
import { ConfigError, defaultConfig, parseConfig, type RelayConfig } from './config'
import { createLogger, describeError } from './log'
import { createMetrics } from './observability/metrics'
import { metricsObserver } from './observability/metricsObserver'
import { startRelay } from './relay/startRelay'
import { backupDatabase } from './storage/backup'
import { SqliteDocStore } from './storage/SqliteDocStore'

/**
 * `npm start` / `npm run relay [-- options]`: the relay. Also `npm run relay -- token ...` (mint an
 * access token) and `npm run relay -- backup FILE` (online backup). This is the only reader of
 * process.env.
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

const fail = (message: string): never => {
  process.stderr.write(`peerboard relay: ${message}\n`)
  process.exit(2)
}

const [command, ...rest] = process.argv.slice(2)
const subcommand = command === 'token' || command === 'backup' ? command : null
// Subcommands take their own arguments; the relay's settings then come from the environment only.
const flags = subcommand === null ? process.argv.slice(2) : []

let config: RelayConfig
try {
  config = parseConfig(process.env, flags, defaultConfig(resolve(repoRoot, 'dist', 'client')))
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  config = fail(error.message)
}

if (subcommand === 'token') {
  try {
    const { board, token } = runTokenCommand(rest, config.secret, Math.floor(Date.now() / 1000))
    // The token alone on stdout (for scripts); how to use it on stderr.
    process.stdout.write(`${token}\n`)
    process.stderr.write(`board ${board}: open https://<your relay>/b/${board}#token=${token}\n`)
    process.exit(0)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    fail(error.message)
  }
}

if (subcommand === 'backup') {
  const [file, ...extra] = rest
  if (file === undefined || extra.length > 0) fail('usage: npm run relay -- backup FILE')
  try {
    const pages = await backupDatabase(config.dataDir, resolve(file as string))
    process.stdout.write(`backed up ${pages} pages to ${resolve(file as string)}\n`)
    process.exit(0)
  } catch (error) {
    fail(`backup failed: ${describeError(error)}`)
  }
}

const log = createLogger(config.logLevel)
let store: SqliteDocStore
try {
  store = new SqliteDocStore(config.dataDir)
} catch (error) {
  store = fail(`cannot open storage in DATA_DIR ${config.dataDir}: ${describeError(error)}`)
}

const metrics = createMetrics()
const relay = await startRelay(config, store, log, {
  observer: metricsObserver(metrics),
  renderMetrics: () => metrics.render(),
}).catch((error: unknown) => fail(`cannot listen on ${config.host}:${config.port}: ${describeError(error)}`))

let stopping = false
const stop = (signal: string): void => {
  if (stopping) return
  stopping = true
  log.info('shutting down', { signal })
  relay
    .close()
    .then(() => {
      store.close()
      metrics.stop()
      log.info('stopped', { signal })
      process.exit(0)
    })
    .catch((error: unknown) => {
      log.error('shutdown failed', { error: describeError(error) })
      process.exit(1)
    })
}
process.on('SIGINT', () => stop('SIGINT'))
process.on('SIGTERM', () => stop('SIGTERM'))

// Announced only once the signal handlers are in place: a supervisor (or a test) may send SIGTERM
// as soon as it reads this line, and before the handlers a signal kills the process unflushed.
log.info('relay started', {
  listen: relay.url,
  dataDir: config.dataDir,
  staticDir: config.staticDir,
  access: config.secret === null ? 'open' : 'token',
})
process.stdout.write(`Peerboard is running at ${relay.url}\n`)
