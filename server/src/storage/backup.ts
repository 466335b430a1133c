import Database from 'better-sqlite3'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { SQLITE_FILE } from './SqliteDocStore'

/**
 * Copies DATA_DIR's database to `file` with SQLite's online backup (SPEC [D4]): a consistent copy
 * while the relay keeps running. Resolves with the number of pages copied.
 *
 * The copy is whole, so it must not say that a relay has it open: restored, it would be taken for
 * a database whose WAL was lost in a crash (SPEC [D6]). That mark is removed from the copy.
 */
export const backupDatabase = async (dataDir: string, file: string): Promise<number> => {
  const source = join(dataDir, SQLITE_FILE)
  if (!existsSync(source)) throw new Error(`no database at ${source}`)
  if (existsSync(file)) throw new Error(`${file} already exists; choose a new file name`)
  const db = new Database(source, { readonly: true, fileMustExist: true })
  let pages: number
  try {
    pages = (await db.backup(file)).totalPages
  } finally {
    db.close()
  }
  const copy = new Database(file, { fileMustExist: true })
  try {
    const hasState = copy.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'relay_state'").get()
    if (hasState !== undefined) copy.prepare('DELETE FROM relay_state').run()
  } finally {
    copy.close()
  }
  return pages
}
