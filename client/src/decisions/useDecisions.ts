import { useEffect, useMemo, useState } from 'react'
import type * as Y from 'yjs'
import { observeDecisions, readDecisions, type DecisionsSnapshot } from '../../../shared/src'

/** How often the time-dependent parts (open / closed, review due) are re-read without a change. */
const TICK_MS = 5_000

/**
 * The board's decisions and charter, live, as of now (SPEC [C], [H]). `trustVersion` changes when
 * the device's verified store is attached or grows (membership, SPEC [J11]).
 */
export const useDecisions = (doc: Y.Doc | null, trustVersion: number): DecisionsSnapshot | null => {
  const [version, setVersion] = useState(0)
  useEffect(() => {
    if (doc === null) return
    const bump = (): void => setVersion((v) => v + 1)
    const unobserve = observeDecisions(doc, bump)
    const timer = setInterval(bump, TICK_MS)
    return () => {
      unobserve()
      clearInterval(timer)
    }
  }, [doc])
  return useMemo(() => (doc === null ? null : readDecisions(doc, Date.now())), [doc, version, trustVersion])
}
