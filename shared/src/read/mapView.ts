import type * as Y from 'yjs'
import type { MapSnapshot } from '../model/map'
import { observeMap, readMap } from './map'

/**
 * A cached, frozen view of the stakeholder map for `useSyncExternalStore`, like BoardView:
 * `getSnapshot` returns the same object until the map changes; `subscribe` returns its
 * unsubscribe; `destroy` stops observing.
 */
export interface MapView {
  readonly subscribe: (onChange: () => void) => () => void
  readonly getSnapshot: () => MapSnapshot
  readonly destroy: () => void
}

export const createMapView = (doc: Y.Doc): MapView => {
  let snapshot: MapSnapshot | null = null
  const listeners = new Set<() => void>()
  const unobserve = observeMap(doc, () => {
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
      snapshot ??= readMap(doc)
      return snapshot
    },
    destroy: () => {
      unobserve()
      listeners.clear()
    },
  }
}
