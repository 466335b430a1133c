import { checkDatabase } from '../storage/checkDatabase'

const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`

/**
 * `npm run relay -- check [FILE]`: checks DATA_DIR's database, or FILE (a backup), read-only (it
 * may run while the relay does) and prints one line per problem, one per note, then a summary.
 * Returns true when nothing is damaged (exit 0), false otherwise (exit 1); throws when there is no
 * database.
 */
export const runCheckCommand = (file: string, print: (line: string) => void): boolean => {
  const report = checkDatabase(file)
  print(`checking ${report.file}`)
  for (const problem of report.problems) print(`problem: ${problem}`)
  for (const note of report.notes) print(`note: ${note}`)
  const legacy = report.legacyRows > 0 ? ` (${report.legacyRows} written before checksums)` : ''
  print(
    `${plural(report.rooms, 'room')}, ${plural(report.rows, 'row')}${legacy}; ` +
      `${plural(report.damagedRows, 'damaged row')}, ${plural(report.unloadableRows, 'row')} that do not load, ` +
      `${plural(report.quarantinedRows, 'quarantined row')}; integrity_check ${report.integrityOk ? 'ok' : 'FAILED'}`,
  )
  const clean = report.problems.length === 0
  const found = `${plural(report.problems.length, 'problem')} found`
  print(clean ? 'clean' : `${found}: see docs/self-hosting.md ("When a stored row is damaged")`)
  return clean
}
