import type * as Y from 'yjs'
import type { NewBoardInput } from '../model/board'
import { PeerboardError } from '../model/errors'
import { isMemberId } from '../model/ids'
import { LIMITS } from '../model/limits'
import { requireLine, requireTimestamp } from '../model/text'
import { META } from '../schema/keys'
import { LOCAL_ORIGIN } from '../schema/origins'
import { yMetaOf } from '../schema/roots'
import { SCHEMA_VERSION } from '../schema/version'

/**
 * Writes a new board's metadata. Only the device that creates the board calls this, once, on a
 * fresh doc (SPEC [S3]): nothing is written on load, so two offline devices never race on defaults.
 */
export const createBoard = (doc: Y.Doc, input: NewBoardInput): void => {
  const name = requireLine('name', 'Board name', input.name, LIMITS.boardNameMax)
  const createdAt = requireTimestamp('createdAt', input.createdAt)
  if (input.creator !== undefined && !isMemberId(input.creator)) {
    throw new PeerboardError('invalid-input', 'Creator must be a member id.', 'creator')
  }
  const yMeta = yMetaOf(doc)
  if (yMeta.has(META.schemaVersion)) {
    throw new PeerboardError('invalid-input', 'This board already exists.', 'board')
  }
  doc.transact(() => {
    yMeta.set(META.schemaVersion, SCHEMA_VERSION)
    yMeta.set(META.name, name)
    yMeta.set(META.createdAt, createdAt)
    if (input.creator !== undefined) yMeta.set(META.creator, input.creator)
  }, LOCAL_ORIGIN)
}

export const renameBoard = (doc: Y.Doc, newName: string): void => {
  const name = requireLine('name', 'Board name', newName, LIMITS.boardNameMax)
  const yMeta = yMetaOf(doc)
  // Rewriting the same name would still be a write, and could win over a peer's concurrent rename.
  if (yMeta.get(META.name) === name) return
  doc.transact(() => {
    yMeta.set(META.name, name)
  }, LOCAL_ORIGIN)
}
