import { useMemo, useSyncExternalStore } from 'react'
import type { DocSession } from './DocSession'
import { observePresence, readPresence, type Presence } from './presence'

const EMPTY: readonly Presence[] = Object.freeze([])

export const usePresence = (session: DocSession | null): readonly Presence[] => {
  const store = useMemo(() => {
    if (session === null) return { subscribe: () => () => undefined, get: () => EMPTY }
    let cached: readonly Presence[] | null = null
    return {
      subscribe: (onChange: () => void) =>
        observePresence(session, () => {
          cached = null
          onChange()
        }),
      get: () => (cached ??= readPresence(session)),
    }
  }, [session])
  return useSyncExternalStore(store.subscribe, store.get)
}
