import type * as Y from 'yjs'
import { PeerboardError } from '../model/errors'
import { readBoardMeta } from '../read/board'

/** Refuses every write to a board written by a newer schema (SPEC [S2]). */
export const assertWritable = (doc: Y.Doc): void => {
  const meta = readBoardMeta(doc)
  if (meta.access === 'newer-schema') {
    throw new PeerboardError('read-only', meta.readOnlyReason ?? 'This board is read-only.')
  }
}
