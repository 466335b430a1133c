import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { repoRoot } from '../servers/serverProcess'
import type { BenchResults } from './BenchResults'
import { renderReport } from './markdown'

/**
 * `npm run bench:report`: writes docs/BENCHMARKS.md and its plots again from the figures of the
 * last full run (bench/out/results.json), without running anything, after a change to the
 * report's text or layout. The report still names the run's own command, commit and date.
 */
const source = resolve(repoRoot, 'bench/out/results.json')
const outFile = resolve(repoRoot, 'docs/BENCHMARKS.md')
const results = JSON.parse(readFileSync(source, 'utf8')) as BenchResults
if (results.quick) {
  console.error(`${source} holds a quick run; docs/BENCHMARKS.md takes a full one (npm run bench).`)
  process.exit(2)
}
const report = renderReport(results)
writeFileSync(outFile, report.markdown)
for (const [name, svg] of report.plots) {
  mkdirSync(join(dirname(outFile), 'benchmarks'), { recursive: true })
  writeFileSync(join(dirname(outFile), 'benchmarks', name), svg)
}
console.log(`${outFile} written from ${source} (run of ${results.startedAt}, commit ${results.gitCommit})`)
