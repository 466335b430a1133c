import type * as Y from 'yjs'
import type { BoardMeta } from '../model/board'
import { META } from '../schema/keys'
import { yMetaOf } from '../schema/roots'
import { SCHEMA_VERSION } from '../schema/version'

/**
 * The board's metadata, with read-time defaults for anything missing or malformed. A higher schema
 * version than this code's only adds a notice (SPEC [S2]): the schema only grows, so what this code
 * writes stays valid, and what it does not know it leaves alone.
 */
export const readBoardMeta = (doc: Y.Doc): BoardMeta => {
  const yMeta = yMetaOf(doc)
  const rawName = yMeta.get(META.name)
  const rawVersion = yMeta.get(META.schemaVersion)
  const rawCreatedAt = yMeta.get(META.createdAt)
  const schemaVersion =
    typeof rawVersion === 'number' && Number.isSafeInteger(rawVersion) && rawVersion > 0 ? rawVersion : 0
  const name = typeof rawName === 'string' ? rawName : ''
  const createdAt = typeof rawCreatedAt === 'number' && Number.isFinite(rawCreatedAt) ? rawCreatedAt : 0
  return Object.freeze({
    name,
    schemaVersion,
    createdAt,
    access: schemaVersion === 0 ? 'not-initialised' : 'writable',
    newerVersionNotice:
      schemaVersion > SCHEMA_VERSION
        ? `A newer version of Peerboard has written to this board (board schema ${schemaVersion}; this app ` +
          `knows up to ${SCHEMA_VERSION}). What this version does not know is kept but not shown here; ` +
          `update Peerboard to see everything.`
        : undefined,
  })
}
