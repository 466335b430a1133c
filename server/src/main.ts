import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ConfigError, defaultConfig, parseConfig, type RelayConfig } from './config'
import { createLogger, describeError } from './log'
import { startRelay } from './relay/startRelay'
import { SqliteDocStore } from './storage/SqliteDocStore'

/**
 * `npm start` / `npm run relay`: parses the configuration (this is the only reader of
 * process.env), opens storage, starts the relay, and flushes everything on SIGINT / SIGTERM.
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

let config: RelayConfig
try {
  config = parseConfig(process.env, process.argv.slice(2), defaultConfig(resolve(repoRoot, 'dist', 'client')))
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  process.stderr.write(`peerboard relay: ${error.message}\n`)
  process.exit(2)
}

const log = createLogger(config.logLevel)
let store: SqliteDocStore
try {
  store = new SqliteDocStore(config.dataDir)
} catch (error) {
  process.stderr.write(`peerboard relay: cannot open storage in DATA_DIR ${config.dataDir}: ${describeError(error)}\n`)
  process.exit(2)
}

const relay = await startRelay(config, store, log).catch((error: unknown) => {
  process.stderr.write(`peerboard relay: cannot listen on ${config.host}:${config.port}: ${describeError(error)}\n`)
  process.exit(2)
})

let stopping = false
const stop = (signal: string): void => {
  if (stopping) return
  stopping = true
  log.info('shutting down', { signal })
  relay
    .close()
    .then(() => {
      store.close()
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
log.info('relay started', { url: relay.url, dataDir: config.dataDir, staticDir: config.staticDir })
process.stdout.write(`Peerboard is running at ${relay.url}\n`)
