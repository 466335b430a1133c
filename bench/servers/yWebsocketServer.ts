import { resolve } from 'node:path'
import { pathDialect } from '../load/dialects'
import { repoRoot, startServerProcess } from './serverProcess'
import { loopEnv, type ServerUnderTest } from './ServerUnderTest'

/**
 * `@y/websocket-server` 0.1.1 as its own bin starts it (`setupWSConnection` behind an HTTP
 * upgrade), with the persistence it ships: y-leveldb in YPERSISTENCE.
 */
export const yWebsocketServer: ServerUnderTest = {
  id: 'y-websocket-server',
  label: '@y/websocket-server 0.1.1',
  floor: false,
  persistence:
    'y-leveldb (YPERSISTENCE): every update appended; the log is merged into one snapshot only when a document with more than 500 stored updates is next loaded',
  dialect: pathDialect((room) => `/${room}`),
  start: (options) =>
    startServerProcess({
      entry: resolve(repoRoot, 'bench/servers/entries/yWebsocketServerMain.ts'),
      env: { YPERSISTENCE: options.dataDir, ...loopEnv(options), ...options.env },
      ready: /BENCH_LISTENING (\d+)/,
    }),
}
