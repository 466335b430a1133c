import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runCheckCommand } from './cli/checkCommand'
import { runTokenCommand } from './cli/tokenCommand'
import { ConfigError, defaultConfig, parseConfig, type RelayConfig } from './config'
import { createLogger, describeError } from './log'
import { createMetrics } from './observability/metrics'
import { metricsObserver } from './observability/metricsObserver'
import { RelayHealth } from './relay/RelayHealth'
import { startRelay } from './relay/startRelay'
import { backupDatabase } from './storage/backup'
import { SQLITE_FILE, SqliteDocStore } from './storage/SqliteDocStore'

/**
 * `npm start` / `npm run relay [-- options]`: the relay. Also `npm run relay -- token ...` (mint an
 * access token), `npm run relay -- backup FILE` (online backup) and `npm run relay -- check [FILE]`
 * (verify every stored row). This is the only reader of process.env.
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

const fail = (message: string): never => {
  process.stderr.write(`peerboard relay: ${message}\n`)
  process.exit(2)
}

const [command, ...rest] = process.argv.slice(2)
const subcommand = command === 'token' || command === 'backup' || command === 'check' ? command : null
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

if (subcommand === 'check') {
  const [file, ...extra] = rest
  if (extra.length > 0 || file?.startsWith('-') === true) fail('usage: npm run relay -- check [FILE]')
  const target = file === undefined ? join(config.dataDir, SQLITE_FILE) : resolve(file)
  try {
    const clean = runCheckCommand(target, (line) => process.stdout.write(`${line}\n`))
    process.exit(clean ? 0 : 1)
  } catch (error) {
    fail(`check failed: ${describeError(error)}`)
  }
}

const log = createLogger(config.logLevel)
let store: SqliteDocStore
try {
  store = new SqliteDocStore(config.dataDir, log)
} catch (error) {
  store = fail(`cannot open storage in DATA_DIR ${config.dataDir}: ${describeError(error)}`)
}

const metrics = createMetrics()
const health = new RelayHealth()
// SPEC [D6]: reported, and the relay runs on with what the database holds.
if (store.lostWal !== null) {
  log.error('write-ahead log lost', { since: store.lostWal.since, problem: store.lostWal.message })
  health.report(store.lostWal.message)
  metrics.storageWalLost.set(1)
}
const relay = await startRelay(config, store, log, {
  observer: metricsObserver(metrics),
  renderMetrics: () => metrics.render(),
  health,
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
