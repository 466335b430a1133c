import { useMemo, useRef, useSyncExternalStore } from 'react'
import {
  observeLedger,
  readLedger,
  readLedgerAccess,
  readLedgerUnits,
  type Keyring,
  type LedgerAccess,
  type LedgerId,
  type LedgerView,
  type UnitView,
} from '../../../shared/src'
import type { DocSession } from '../collab/DocSession'

export interface LedgerSnapshot {
  readonly view: LedgerView
  readonly units: readonly UnitView[]
  readonly access: LedgerAccess
}

const noSubscribe = (): (() => void) => () => undefined

/**
 * The ledger's derived view (SPEC [G13]), recomputed after every change of the ledger doc and
 * whenever the keyring changes (members arriving turn unknown devices into members, [G6]).
 * Verification is incremental ([G12]): only new entries and signatures are checked.
 */
export const useLedger = (session: DocSession | null, ledger: LedgerId, keyring: Keyring): LedgerSnapshot | null => {
  const cache = useRef<{ version: number; keyring: Keyring; doc: unknown; value: LedgerSnapshot } | null>(null)
  const version = useRef(0)
  const subscribe = useMemo(
    () =>
      session === null
        ? noSubscribe
        : (onChange: () => void) =>
            observeLedger(session.doc, () => {
              version.current++
              onChange()
            }),
    [session],
  )
  return useSyncExternalStore(subscribe, () => {
    if (session === null) return null
    const c = cache.current
    if (c !== null && c.version === version.current && c.keyring === keyring && c.doc === session.doc) return c.value
    const value: LedgerSnapshot = {
      view: readLedger(session.doc, ledger, keyring),
      units: readLedgerUnits(session.doc),
      access: readLedgerAccess(session.doc),
    }
    cache.current = { version: version.current, keyring, doc: session.doc, value }
    return value
  })
}
