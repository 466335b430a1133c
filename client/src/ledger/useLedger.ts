import { useMemo, useRef, useSyncExternalStore } from 'react'
import {
  observeLedger,
  readLedger,
  readLedgerVersionNotice,
  readLedgerUnits,
  type Keyring,
  type LedgerId,
  type LedgerView,
  type UnitView,
} from '../../../shared/src'
import type { DocSession } from '../collab/DocSession'
import { loadVerifiedStore, needsPreverify, preverifyLedger } from './ledgerPreverify'

export interface LedgerSnapshot {
  readonly view: LedgerView
  readonly units: readonly UnitView[]
  /** Set when a newer Peerboard has written to the ledger (SPEC [G15]). */
  readonly newerVersionNotice: string | null
}

const noSubscribe = (): (() => void) => () => undefined

/**
 * The ledger's derived view (SPEC [G13]), recomputed after every change of the ledger doc and
 * whenever the keyring changes (members arriving turn unknown devices into members, [G6]).
 * Verification is incremental ([G12]): only new entries and signatures are checked, and when many
 * arrive at once (opening a ledger, a long offline spell) WebCrypto checks them first, off the main
 * thread, while the previous view (or "opening") stays on screen.
 */
export const useLedger = (session: DocSession | null, ledger: LedgerId, keyring: Keyring): LedgerSnapshot | null => {
  const cache = useRef<{ version: number; keyring: Keyring; doc: unknown; value: LedgerSnapshot } | null>(null)
  const version = useRef(0)
  /** Native passes under way for the doc: reads wait for the last one rather than verify on the main thread. */
  const passing = useRef<{ doc: unknown; count: number }>({ doc: null, count: 0 })
  const subscribe = useMemo(
    () =>
      session === null
        ? noSubscribe
        : (onChange: () => void) => {
            let live = true
            // Read the verified store while the doc itself loads, rather than after.
            void loadVerifiedStore(session)
            const changed = (): void => {
              if (!needsPreverify(session.doc)) {
                version.current++
                onChange()
                return
              }
              passing.current = { doc: session.doc, count: passing.current.doc === session.doc ? passing.current.count + 1 : 1 }
              void preverifyLedger(session).then(() => {
                if (!live || passing.current.doc !== session.doc) return
                passing.current = { doc: session.doc, count: passing.current.count - 1 }
                if (passing.current.count > 0) return
                version.current++
                onChange()
              })
            }
            const unobserve = observeLedger(session.doc, changed)
            changed()
            return () => {
              live = false
              passing.current = { doc: null, count: 0 }
              unobserve()
            }
          },
    [session],
  )
  return useSyncExternalStore(subscribe, () => {
    if (session === null) return null
    const c = cache.current
    const current = c !== null && c.doc === session.doc ? c.value : null
    if (c !== null && c.version === version.current && c.keyring === keyring && c.doc === session.doc) return c.value
    const waiting = passing.current.doc === session.doc && passing.current.count > 0
    if (waiting || (current === null && needsPreverify(session.doc))) return current
    const value: LedgerSnapshot = {
      view: readLedger(session.doc, ledger, keyring),
      units: readLedgerUnits(session.doc),
      newerVersionNotice: readLedgerVersionNotice(session.doc),
    }
    cache.current = { version: version.current, keyring, doc: session.doc, value }
    return value
  })
}
