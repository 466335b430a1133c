import type * as Y from 'yjs'
import type { BoardMeta } from '../model/board'
import { META } from '../schema/keys'
import { yMetaOf } from '../schema/roots'
import { SCHEMA_VERSION } from '../schema/version'

/** The board's metadata, with read-time defaults for anything missing or malformed. */
export const readBoardMeta = (doc: Y.Doc): BoardMeta => {
  const yMeta = yMetaOf(doc)
  const rawName = yMeta.get(META.name)
  const rawVersion = yMeta.get(META.schemaVersion)
  const rawCreatedAt = yMeta.get(META.createdAt)
  const schemaVersion =
    typeof rawVersion === 'number' && Number.isSafeInteger(rawVersion) && rawVersion > 0 ? rawVersion : 0
  const name = typeof rawName === 'string' ? rawName : ''
  const createdAt = typeof rawCreatedAt === 'number' && Number.isFinite(rawCreatedAt) ? rawCreatedAt : 0
  if (schemaVersion > SCHEMA_VERSION) {
    return Object.freeze({
      name,
      schemaVersion,
      createdAt,
      access: 'newer-schema',
      readOnlyReason:
        `This board was written by a newer version of Peerboard (board schema ${schemaVersion}, ` +
        `this app understands up to ${SCHEMA_VERSION}). It is open read-only so that nothing ` +
        `is lost; update Peerboard to edit it.`,
    })
  }
  return Object.freeze({
    name,
    schemaVersion,
    createdAt,
    access: schemaVersion === 0 ? 'not-initialised' : 'writable',
    readOnlyReason: undefined,
  })
}
