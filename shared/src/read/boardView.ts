import type * as Y from 'yjs'
import type { BoardMeta } from '../model/board'
import type { Proposal } from '../model/proposal'
import { readBoardMeta } from './board'
import { createCachedView, type CachedView } from './cachedView'
import { observeBoard } from './observe'
import { readProposals } from './proposals'

export interface BoardSnapshot {
  readonly meta: BoardMeta
  readonly proposals: readonly Proposal[]
}

/** The board's metadata and proposals as a cached view (see CachedView). */
export type BoardView = CachedView<BoardSnapshot>

export const readBoard = (doc: Y.Doc): BoardSnapshot =>
  Object.freeze({ meta: readBoardMeta(doc), proposals: readProposals(doc) })

export const createBoardView = (doc: Y.Doc): BoardView => createCachedView(doc, readBoard, observeBoard)
