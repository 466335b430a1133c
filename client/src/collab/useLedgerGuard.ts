import { useEffect, useState } from 'react'
import {
  observeLedger,
  readNewlyVerified,
  republishLedger,
  type EntryEnvelope,
  type LedgerId,
  type LedgerImportReport,
} from '../../../shared/src'
import { loadVerifiedStore, preverifyLedger } from '../ledger/ledgerPreverify'
import type { DocSession } from './DocSession'
import { openLedgerStore, type LedgerStore } from './ledgerStore'

/** The last time entries or signatures that had vanished from the shared ledger were put back. */
export interface LedgerRestoration extends LedgerImportReport {
  readonly at: number
}

/**
 * Keeps the local verified store of a ledger (SPEC [G17]) while the ledger is open: after every
 * change, what newly verifies goes into the store; whatever the store has and the doc lacks (or
 * holds with another value) is re-published. Starts once the doc's stored copy is loaded, so an
 * empty doc that is still loading is never mistaken for a deletion.
 */
export const useLedgerGuard = (session: DocSession | null, ledger: LedgerId, loaded: boolean): LedgerRestoration | null => {
  const [restored, setRestored] = useState<LedgerRestoration | null>(null)
  useEffect(() => {
    if (session === null || !loaded) return
    let live = true
    let store: LedgerStore | null = null
    let timer: number | undefined
    const memory = { entries: new Map<string, EntryEnvelope>(), sigs: new Map<string, string>(), declines: new Map<string, string>() }
    const check = (): void => {
      if (!live || store === null) return
      const fresh = readNewlyVerified(session.doc, ledger, memory)
      if (fresh.entries.size + fresh.sigs.size + fresh.declines.size > 0) {
        for (const [k, v] of fresh.entries) memory.entries.set(k, v)
        for (const [k, v] of fresh.sigs) memory.sigs.set(k, v)
        for (const [k, v] of fresh.declines) memory.declines.set(k, v)
        void store.add(fresh).catch((error: unknown) => console.warn('Could not keep verified ledger entries:', error))
      }
      const report = republishLedger(session.doc, memory)
      if (report.entries + report.sigs + report.declines > 0) setRestored({ ...report, at: Date.now() })
    }
    const schedule = (): void => {
      window.clearTimeout(timer)
      timer = window.setTimeout(() => void preverifyLedger(session).then(check), 50)
    }
    const unobserve = observeLedger(session.doc, schedule)
    void openLedgerStore(session.room).then(
      async (opened) => {
        if (!live) {
          opened.close()
          return
        }
        store = opened
        const stored = await loadVerifiedStore(session)
        for (const [k, v] of stored.entries) memory.entries.set(k, v)
        for (const [k, v] of stored.sigs) memory.sigs.set(k, v)
        for (const [k, v] of stored.declines) memory.declines.set(k, v)
        await preverifyLedger(session)
        check()
      },
      (error: unknown) => console.warn('The local ledger store is unavailable:', error),
    )
    return () => {
      live = false
      window.clearTimeout(timer)
      unobserve()
      store?.close()
    }
  }, [session, ledger, loaded])
  return restored
}
