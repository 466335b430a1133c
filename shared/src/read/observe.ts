import type * as Y from 'yjs'
import { yMetaOf, yProposalsOf } from '../schema/roots'

/**
 * Calls `onChange` after every transaction that changed the board's metadata or proposals
 * (local or remote). Returns the unsubscribe.
 */
export const observeBoard = (doc: Y.Doc, onChange: () => void): (() => void) => {
  const yMeta = yMetaOf(doc)
  const yProposals = yProposalsOf(doc)
  const handler = (): void => onChange()
  yMeta.observe(handler)
  yProposals.observeDeep(handler)
  return () => {
    yMeta.unobserve(handler)
    yProposals.unobserveDeep(handler)
  }
}
