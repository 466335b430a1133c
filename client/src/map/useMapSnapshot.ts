import { useEffect, useState, useSyncExternalStore } from 'react'
import { createMapView, type MapSnapshot, type MapView } from '../../../shared/src'
import type * as Y from 'yjs'

const noView = (): (() => void) => () => undefined

/** The board's stakeholder map as a plain, frozen snapshot that re-renders on every change (null before the view exists). */
export const useMapSnapshot = (doc: Y.Doc | null): MapSnapshot | null => {
  const [view, setView] = useState<MapView | null>(null)
  useEffect(() => {
    if (doc === null) return
    const created = createMapView(doc)
    setView(created)
    return () => {
      created.destroy()
      setView(null)
    }
  }, [doc])
  return useSyncExternalStore(view?.subscribe ?? noView, () => view?.getSnapshot() ?? null)
}
