import { useMemo, useSyncExternalStore } from 'react'
import type { DocSession } from './DocSession'
import { observePresence, readPresence, type Presence } from './presence'

const EMPTY: readonly Presence[] = Object.freeze([])
const noSubscription = (): (() => void) => () => undefined

/** Everyone present on the board; the same array object until someone's presence changes. */
export const usePresence = (session: DocSession | null): readonly Presence[] => {
  const store = useMemo(() => {
    if (session === null) return { subscribe: noSubscription, get: () => EMPTY }
    let cached: readonly Presence[] = EMPTY
    let cachedKey = '[]'
    return {
      subscribe: (onChange: () => void) => observePresence(session, onChange),
      // Presence is small (a few dozen entries at most): compare by value so that a renewal that
      // changes nothing (every 15 s per person) does not re-render.
      get: () => {
        const next = readPresence(session)
        const key = JSON.stringify(next)
        if (key !== cachedKey) {
          cached = next
          cachedKey = key
        }
        return cached
      },
    }
  }, [session])
  return useSyncExternalStore(store.subscribe, store.get)
}
