import { useEffect, useState, useSyncExternalStore } from 'react'
import { createCachedView, observeMembers, readMembersWithProblems, type CachedView } from '../../../shared/src'
import type { DocSession } from '../collab/DocSession'

type MembersSnapshot = ReturnType<typeof readMembersWithProblems>

const EMPTY: MembersSnapshot = Object.freeze({ members: new Map(), unverified: Object.freeze([]) })
const noView = (): (() => void) => () => undefined

/** The board's members (verified) and the records that did not verify, live (SPEC [I3], [I4]). */
export const useMembers = (session: DocSession | null): MembersSnapshot => {
  const [view, setView] = useState<CachedView<MembersSnapshot> | null>(null)
  useEffect(() => {
    if (session === null) return
    const created = createCachedView(session.doc, readMembersWithProblems, observeMembers)
    setView(created)
    return () => {
      created.destroy()
      setView(null)
    }
  }, [session])
  return useSyncExternalStore(view?.subscribe ?? noView, () => view?.getSnapshot() ?? EMPTY)
}
