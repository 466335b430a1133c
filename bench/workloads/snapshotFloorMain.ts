import { readFileSync } from 'node:fs'
import * as Y from 'yjs'

/**
 * The cold-load floor (W3), run in a fresh process: read one snapshot (the encoded final state)
 * and Y.applyUpdate it into a new doc. Prints `BENCH_SNAPSHOT {"ms":…,"readMs":…,"peakRss":…}`.
 */
const file = process.argv[2] as string
const started = performance.now()
const snapshot = new Uint8Array(readFileSync(file))
const read = performance.now()
const doc = new Y.Doc()
Y.applyUpdate(doc, snapshot)
const applied = performance.now()
const length = doc.getText('text').length
process.stdout.write(
  `BENCH_SNAPSHOT ${JSON.stringify({ ms: applied - read, readMs: read - started, length, peakRss: process.resourceUsage().maxRSS * 1024 })}\n`,
)
