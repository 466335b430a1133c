import { useEffect, useState, useSyncExternalStore } from 'react'
import { createBoardView, type BoardSnapshot, type BoardView } from '../../../shared/src'
import type { DocSession } from '../collab/DocSession'

const noView = (): (() => void) => () => undefined

/** The board as a plain, frozen snapshot that re-renders on every change (null before open). */
export const useBoardSnapshot = (session: DocSession | null): BoardSnapshot | null => {
  const [view, setView] = useState<BoardView | null>(null)
  useEffect(() => {
    if (session === null) return
    const created = createBoardView(session.doc)
    setView(created)
    return () => {
      created.destroy()
      setView(null)
    }
  }, [session])
  return useSyncExternalStore(view?.subscribe ?? noView, () => view?.getSnapshot() ?? null)
}
