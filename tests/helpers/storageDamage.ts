import Database from 'better-sqlite3'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'

/**
 * Damage to a SQLite file as a disk or a careless hand does it: bytes changed in place, below
 * SQLite, where neither SQLite nor its `quick_check` sees them (SPEC [D5] tests). The file must
 * not be open: its store closed cleanly (so everything is in the main file, no WAL).
 */

/** Rewrites the file without free pages, so bytes of deleted rows are gone (rowids are kept). */
export const vacuum = (file: string): void => {
  const db = new Database(file, { fileMustExist: true })
  try {
    db.exec('VACUUM')
  } finally {
    db.close()
  }
}

/** Every offset at which `needle` occurs in `haystack`. */
const offsetsOf = (haystack: Buffer, needle: Buffer): number[] => {
  const found: number[] = []
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) found.push(at)
  return found
}

/**
 * Flips (XOR 0xff) `count` bytes of `needle` where it occurs in `file`, starting `skip` bytes
 * into it. Fails unless it occurs exactly once, so the test knows which row it damaged; vacuum
 * first when deleted rows may still hold a copy.
 */
export const flipStoredBytes = (file: string, needle: Uint8Array | string, count = 8, skip = 0): void => {
  if (existsSync(`${file}-wal`) && statSync(`${file}-wal`).size > 0) {
    throw new Error(`${file} has a WAL: close its store cleanly before damaging the file`)
  }
  const bytes = readFileSync(file)
  const wanted = typeof needle === 'string' ? Buffer.from(needle, 'utf8') : Buffer.from(needle)
  if (skip + count > wanted.length) throw new Error('cannot flip past the end of the needle')
  const offsets = offsetsOf(bytes, wanted)
  if (offsets.length !== 1) throw new Error(`expected the bytes once in ${file}, found them ${offsets.length} times`)
  const at = (offsets[0] as number) + skip
  for (let i = at; i < at + count; i++) bytes[i] = (bytes[i] as number) ^ 0xff
  writeFileSync(file, bytes)
}
