import Database from 'better-sqlite3'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { SQLITE_FILE } from './SqliteDocStore'

/**
 * Copies DATA_DIR's database to `file` with SQLite's online backup (SPEC [D4]): a consistent copy
 * while the relay keeps running. Resolves with the number of pages copied.
 */
export const backupDatabase = async (dataDir: string, file: string): Promise<number> => {
  const source = join(dataDir, SQLITE_FILE)
  if (!existsSync(source)) throw new Error(`no database at ${source}`)
  if (existsSync(file)) throw new Error(`${file} already exists; choose a new file name`)
  const db = new Database(source, { readonly: true, fileMustExist: true })
  try {
    const result = await db.backup(file)
    return result.totalPages
  } finally {
    db.close()
  }
}
