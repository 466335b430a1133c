import { useEffect, useState, useSyncExternalStore } from 'react'
import type * as Y from 'yjs'
import {
  createCachedView,
  observeDialogue,
  readThread,
  readThreads,
  type CachedView,
  type ProposalId,
  type ThreadView,
} from '../../../shared/src'

const EMPTY: readonly ThreadView[] = Object.freeze([])
const noView = (): (() => void) => () => undefined

/** Every thread about one proposal, each with its messages in reading order (SPEC [T6]). */
const readProposalThreads = (doc: Y.Doc, proposalId: ProposalId): readonly ThreadView[] =>
  Object.freeze(
    readThreads(doc, { kind: 'proposal', id: proposalId })
      .map((thread) => readThread(doc, thread.id))
      .filter((view): view is ThreadView => view !== null),
  )

/** The proposal's threads as a cached, frozen snapshot that re-renders on every dialogue change. */
export const useProposalDialogue = (doc: Y.Doc, proposalId: ProposalId): readonly ThreadView[] => {
  const [view, setView] = useState<CachedView<readonly ThreadView[]> | null>(null)
  useEffect(() => {
    const created = createCachedView(doc, (d) => readProposalThreads(d, proposalId), observeDialogue)
    setView(created)
    return () => {
      created.destroy()
      setView(null)
    }
  }, [doc, proposalId])
  return useSyncExternalStore(view?.subscribe ?? noView, () => view?.getSnapshot() ?? EMPTY)
}
