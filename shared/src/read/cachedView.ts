import type * as Y from 'yjs'

/**
 * A cached, frozen view of part of a doc for React's `useSyncExternalStore`: `getSnapshot` returns
 * the same object until that part changes; `subscribe` returns its unsubscribe; `destroy` stops
 * observing.
 */
export interface CachedView<T> {
  readonly subscribe: (onChange: () => void) => () => void
  readonly getSnapshot: () => T
  readonly destroy: () => void
}

export const createCachedView = <T>(
  doc: Y.Doc,
  read: (doc: Y.Doc) => T,
  observe: (doc: Y.Doc, onChange: () => void) => () => void,
): CachedView<T> => {
  let snapshot: { readonly value: T } | null = null
  const listeners = new Set<() => void>()
  const unobserve = observe(doc, () => {
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
      snapshot ??= { value: read(doc) }
      return snapshot.value
    },
    destroy: () => {
      unobserve()
      listeners.clear()
    },
  }
}
