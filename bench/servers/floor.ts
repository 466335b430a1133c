import { resolve } from 'node:path'
import { pathDialect } from '../load/dialects'
import { repoRoot, startServerProcess } from './serverProcess'
import { loopEnv, type ServerUnderTest } from './ServerUnderTest'

/**
 * The floor: a `ws` server that forwards every frame to the other sockets of its room without
 * decoding it. No relay can do less work per message; it keeps nothing and answers nothing.
 */
export const floorServer: ServerUnderTest = {
  id: 'floor',
  label: 'floor (raw ws broadcast)',
  floor: true,
  persistence: 'none (keeps nothing)',
  dialect: pathDialect((room) => `/${room}`),
  start: (options) =>
    startServerProcess({
      entry: resolve(repoRoot, 'bench/servers/entries/floorMain.ts'),
      env: { ...loopEnv(options), ...options.env },
      ready: /BENCH_LISTENING (\d+)/,
    }),
}
