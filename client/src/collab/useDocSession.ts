import { useEffect, useState, useSyncExternalStore } from 'react'
import type { DocSession, SyncState } from './DocSession'
import { acquireDocSession, releaseDocSession } from './sessions'

/** The session of one room while the component is mounted (null until the first effect). */
export const useDocSession = (room: string | null): DocSession | null => {
  const [session, setSession] = useState<DocSession | null>(null)
  useEffect(() => {
    if (room === null) {
      setSession(null)
      return
    }
    const acquired = acquireDocSession(room)
    setSession(acquired)
    return () => releaseDocSession(acquired)
  }, [room])
  return session !== null && session.room === room ? session : null
}

/** True once the copy stored on this device has been loaded. */
export const useLoaded = (session: DocSession | null): boolean => {
  const [loaded, setLoaded] = useState<DocSession | null>(null)
  useEffect(() => {
    if (session === null) return
    let live = true
    void session.whenLoaded.then(() => {
      if (live) setLoaded(session)
    })
    return () => {
      live = false
    }
  }, [session])
  return session !== null && loaded === session
}

const noSession = (): (() => void) => () => undefined

export const useSyncState = (session: DocSession | null): SyncState =>
  useSyncExternalStore(
    session === null ? noSession : (onChange) => session.observeSyncState(onChange),
    () => session?.syncState ?? 'connecting',
  )
