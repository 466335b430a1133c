import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Server } from '@hocuspocus/server'
import * as Y from 'yjs'

/**
 * `@hocuspocus/server` 3.4.4 with its default settings (2 s store debounce, 10 s max; documents
 * unloaded when their last socket leaves; SIGTERM stores and exits). Documents are kept as files in
 * BENCH_DATA_DIR through the onLoadDocument / onStoreDocument hooks.
 */
const dataDir = process.env.BENCH_DATA_DIR ?? '.'
mkdirSync(dataDir, { recursive: true })
const fileOf = (name: string): string => join(dataDir, `${encodeURIComponent(name)}.ydoc`)

const server = new Server({
  port: 0,
  address: '127.0.0.1',
  quiet: true,
  onLoadDocument: async ({ document, documentName }) => {
    let stored: Buffer
    try {
      stored = readFileSync(fileOf(documentName))
    } catch {
      return document
    }
    Y.applyUpdate(document, new Uint8Array(stored))
    return document
  },
  onStoreDocument: async ({ document, documentName }) => {
    writeFileSync(fileOf(documentName), Y.encodeStateAsUpdate(document))
  },
})

await server.listen()
process.stdout.write(`BENCH_LISTENING ${server.address.port}\n`)
