import { resolve } from 'node:path'
import { hocuspocusDialect } from '../load/dialects'
import { repoRoot, startServerProcess } from './serverProcess'
import { loopEnv, type ServerUnderTest } from './ServerUnderTest'

/**
 * `@hocuspocus/server` 3.4.4 with default settings. It has no storage of its own: its database
 * extensions are separate packages. The comparable setup, wired in the entry, is its documented
 * onLoadDocument / onStoreDocument hooks keeping each document's encoded state in a file, which is
 * what @hocuspocus/extension-database does with a fetch/store pair.
 */
export const hocuspocusServer: ServerUnderTest = {
  id: 'hocuspocus',
  label: '@hocuspocus/server 3.4.4',
  floor: false,
  persistence:
    'none built in; onLoadDocument/onStoreDocument hooks storing the whole encoded state per document (debounced 2 s, as its database extension does)',
  dialect: hocuspocusDialect,
  start: (options) =>
    startServerProcess({
      entry: resolve(repoRoot, 'bench/servers/entries/hocuspocusMain.ts'),
      env: { BENCH_DATA_DIR: options.dataDir, ...loopEnv(options), ...options.env },
      ready: /BENCH_LISTENING (\d+)/,
    }),
}
