import type * as Y from 'yjs'
import type { BoardMeta } from '../model/board'
import type { Proposal } from '../model/proposal'
import { readBoardMeta } from './board'
import { observeBoard } from './observe'
import { readProposals } from './proposals'

export interface BoardSnapshot {
  readonly meta: BoardMeta
  readonly proposals: readonly Proposal[]
}

/**
 * A cached, frozen view of a board for `useSyncExternalStore`: `getSnapshot` returns the same
 * object until the board changes; `subscribe` returns its unsubscribe; `destroy` stops observing.
 */
export interface BoardView {
  readonly subscribe: (onChange: () => void) => () => void
  readonly getSnapshot: () => BoardSnapshot
  readonly destroy: () => void
}

export const readBoard = (doc: Y.Doc): BoardSnapshot =>
  Object.freeze({ meta: readBoardMeta(doc), proposals: readProposals(doc) })

export const createBoardView = (doc: Y.Doc): BoardView => {
  let snapshot: BoardSnapshot | null = null
  const listeners = new Set<() => void>()
  const unobserve = observeBoard(doc, () => {
    snapshot = null
    for (const listener of [...listeners]) listener()
  })
  return {
    subscribe: (onChange) => {
      listeners.add(onChange)
      return () => {
        listeners.delete(onChange)
      }
    },
    getSnapshot: () => {
      snapshot ??= readBoard(doc)
      return snapshot
    },
    destroy: () => {
      unobserve()
      listeners.clear()
    },
  }
}
