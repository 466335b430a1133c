import { useEffect, useState, useSyncExternalStore } from 'react'
import type * as Y from 'yjs'
import {
  createCachedView,
  observeDialogue,
  readThread,
  readThreads,
  type CachedView,
  type ThreadSubject,
  type ThreadView,
} from '../../../shared/src'

const EMPTY: readonly ThreadView[] = Object.freeze([])
const noView = (): (() => void) => () => undefined

/** Every thread about one subject, each with its messages in reading order (SPEC [T6]). */
const readSubjectThreads = (doc: Y.Doc, subject: ThreadSubject): readonly ThreadView[] =>
  Object.freeze(
    readThreads(doc, subject)
      .map((thread) => readThread(doc, thread.id))
      .filter((view): view is ThreadView => view !== null),
  )

/** A subject's threads as a cached, frozen snapshot that re-renders on every dialogue change. */
export const useDialogue = (doc: Y.Doc, subject: ThreadSubject): readonly ThreadView[] => {
  const [view, setView] = useState<CachedView<readonly ThreadView[]> | null>(null)
  // The subject as a value, so that a new object for the same subject does not re-subscribe.
  const kind = subject.kind
  const id = subject.kind === 'board' ? null : subject.id
  useEffect(() => {
    const fixed: ThreadSubject =
      kind === 'board' ? { kind } : ({ kind, id } as ThreadSubject)
    const created = createCachedView(doc, (d) => readSubjectThreads(d, fixed), observeDialogue)
    setView(created)
    return () => {
      created.destroy()
      setView(null)
    }
  }, [doc, kind, id])
  return useSyncExternalStore(view?.subscribe ?? noView, () => view?.getSnapshot() ?? EMPTY)
}
