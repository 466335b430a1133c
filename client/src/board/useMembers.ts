import { useEffect, useState, useSyncExternalStore } from 'react'
import {
  createCachedView,
  observeMembers,
  readMembersWithProblems,
  readMembership,
  ySignedEntriesOf,
  type BoardMembership,
  type CachedView,
  type UnverifiedMemberRecord,
} from '../../../shared/src'
import type * as Y from 'yjs'
import type { DocSession } from '../collab/DocSession'

export interface MembersSnapshot {
  readonly membership: BoardMembership
  /** Legacy boards: member records that did not verify (SPEC [I4]). */
  readonly unverified: readonly UnverifiedMemberRecord[]
}

const readMembers = (doc: Y.Doc): MembersSnapshot => {
  const membership = readMembership(doc)
  return { membership, unverified: membership.basis === 'legacy' ? readMembersWithProblems(doc).unverified : [] }
}

/** Member records or signed entries changed: membership may have. */
const observeMembership = (doc: Y.Doc, onChange: () => void): (() => void) => {
  const unobserveRecords = observeMembers(doc, onChange)
  const yEntries = ySignedEntriesOf(doc)
  const handler = (): void => onChange()
  yEntries.observe(handler)
  return () => {
    unobserveRecords()
    yEntries.unobserve(handler)
  }
}

/**
 * The board's membership, live (SPEC [J11]): from this device's verified store on a founded board,
 * from member records on a legacy one. `trustVersion` changes when the store is attached or grows.
 */
export const useMembers = (session: DocSession | null, trustVersion: number): MembersSnapshot | null => {
  const [view, setView] = useState<CachedView<MembersSnapshot> | null>(null)
  useEffect(() => {
    if (session === null) return
    const created = createCachedView(session.doc, readMembers, observeMembership)
    setView(created)
    return () => {
      created.destroy()
      setView(null)
    }
  }, [session, trustVersion])
  return useSyncExternalStore(view?.subscribe ?? noView, () => view?.getSnapshot() ?? null)
}

const noView = (): (() => void) => () => undefined
