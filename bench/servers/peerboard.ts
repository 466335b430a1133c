import { resolve } from 'node:path'
import { mintToken } from '../../server/src/access/tokens'
import type { BoardId } from '../../shared/src'
import { pathDialect } from '../load/dialects'
import { repoRoot, startServerProcess } from './serverProcess'
import { loopEnv, type ServerUnderTest } from './ServerUnderTest'

/** The relay's secret in the benchmarks (token mode, as docs/self-hosting.md recommends). */
const BENCH_SECRET = 'benchmark-secret-0123456789abcdefghijklmnop'
const TOKEN_TTL_SECONDS = 24 * 3600

const tokens = new Map<string, string>()

/** A read-write token for a room whose name is a board id (minted once per room). */
export const peerboardToken = (room: string): string => {
  let token = tokens.get(room)
  if (token === undefined) {
    token = mintToken(BENCH_SECRET, {
      board: room.split('.')[0] as BoardId,
      scope: 'rw',
      exp: Math.floor(Date.now() / 1000) + TOKEN_TTL_SECONDS,
    })
    tokens.set(room, token)
  }
  return token
}

/**
 * Peerboard's relay as a group runs it: the real `server/src/main.ts` process with SQLite storage
 * in a fresh DATA_DIR, token mode, and default limits except the per-address caps on sockets and
 * on pending connections (every benchmark client comes from 127.0.0.1).
 */
export const peerboardRelay: ServerUnderTest = {
  id: 'peerboard',
  label: 'Peerboard relay',
  floor: false,
  persistence: 'SQLite log of updates in DATA_DIR, compacted into a snapshot every 500 updates or 1 MiB and on unload',
  dialect: pathDialect((room) => `/sync/${room}?token=${encodeURIComponent(peerboardToken(room))}`),
  start: (options) =>
    startServerProcess({
      entry: resolve(repoRoot, 'server/src/main.ts'),
      env: {
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: options.dataDir,
        RELAY_SECRET: BENCH_SECRET,
        MAX_CONNECTIONS_PER_IP: '1000000',
        // Batches of clients connect at once from 127.0.0.1; a real crowd comes through a proxy.
        MAX_PENDING_UPGRADES_PER_IP: '1000000',
        LOG_LEVEL: 'warn',
        ...loopEnv(options),
        ...options.env,
      },
      ready: /Peerboard is running at http:\/\/127\.0\.0\.1:(\d+)\//,
    }),
}
