import type * as Y from 'yjs'
import type { EntryId, LedgerId } from '../model/ids'
import type { EntryEnvelope } from '../model/ledger'
import {
  createLedgerVerifier,
  entrySignatureCheck,
  isEnvelope,
  ledgerSignatureCheck,
  type LedgerVerifier,
} from '../rules/ledgerEntries'
import { isPreverified, type SignatureCheck } from '../rules/signatureMemo'
import type { LedgerStoreContents } from '../rules/ledgerStore'
import { chooseUnits, type UnitView } from '../rules/ledgerUnits'
import { deriveLedger, type LedgerContents, type LedgerView } from '../rules/ledgerView'
import type { Keyring } from '../rules/memberRecords'
import {
  LEDGER_SCHEMA_VERSION,
  splitLedgerSigKey,
  yLedgerDeclinesOf,
  yLedgerEntriesOf,
  yLedgerSigsOf,
  yLedgerUnitsOf,
  yLedgerVersionsOf,
} from '../schema/ledger'

/**
 * Reads of a ledger doc (SPEC [G3]-[G15]). Verification is incremental: the default verifier
 * remembers every entry and signature it has checked (by their exact stored strings), so a read
 * after an update verifies only what is new.
 */
export const defaultLedgerVerifier: LedgerVerifier = createLedgerVerifier()

/** The doc's add-only maps as they are stored (values unchecked). */
export const readLedgerContents = (doc: Y.Doc): LedgerContents => ({
  entries: yLedgerEntriesOf(doc).entries(),
  sigs: yLedgerSigsOf(doc).entries(),
  declines: yLedgerDeclinesOf(doc).entries(),
})

/** The whole derived view (SPEC [G13]): a pure function of the stored set, the ledger id and the keyring. */
export const readLedger = (
  doc: Y.Doc,
  ledger: LedgerId,
  keyring: Keyring,
  verifier: LedgerVerifier = defaultLedgerVerifier,
): LedgerView => deriveLedger(ledger, readLedgerContents(doc), keyring, verifier)

/**
 * The signature checks the next read would run (SPEC [G12]): entries and signatures the verifier
 * has not checked and nothing has pre-verified, for a native batch pass
 * (`preverifySignatures`) to do first. Signatures are listed over the doc's copy of their entry.
 */
export const readPendingLedgerChecks = (doc: Y.Doc, verifier: LedgerVerifier = defaultLedgerVerifier): SignatureCheck[] => {
  const out: SignatureCheck[] = []
  const add = (check: SignatureCheck | null): void => {
    if (check !== null && !isPreverified(check.signature)) out.push(check)
  }
  const yEntries = yLedgerEntriesOf(doc)
  yEntries.forEach((value, id) => {
    if (!verifier.hasChecked(id, value)) add(entrySignatureCheck(value))
  })
  const signatures = (kind: 'consent' | 'decline', yMap: Y.Map<unknown>): void => {
    yMap.forEach((sig, key) => {
      const parts = splitLedgerSigKey(key)
      const entry = parts === null ? undefined : yEntries.get(parts.entryId)
      if (parts === null || !isEnvelope(entry)) return
      if (!verifier.hasCheckedSignature(kind, parts.entryId, entry.body, parts.deviceKey, sig)) {
        add(ledgerSignatureCheck(kind, entry.body, parts.deviceKey, sig))
      }
    })
  }
  signatures('consent', yLedgerSigsOf(doc))
  signatures('decline', yLedgerDeclinesOf(doc))
  return out
}

/** The units in force, by code (SPEC [G11]). */
export const readLedgerUnits = (doc: Y.Doc): readonly UnitView[] => chooseUnits(yLedgerUnitsOf(doc).entries())

/**
 * A notice when a newer Peerboard has marked this ledger (SPEC [G15]), else null. The ledger stays
 * writable: a version flag is unsigned, and any writer could set it.
 */
export const readLedgerVersionNotice = (doc: Y.Doc): string | null => {
  let highest = 0
  for (const key of yLedgerVersionsOf(doc).keys()) {
    const version = Number(key)
    if (Number.isSafeInteger(version) && version > highest) highest = version
  }
  return highest > LEDGER_SCHEMA_VERSION
    ? `A newer version of Peerboard has written to this ledger (ledger schema ${highest}); entries it does not know are listed as from a newer version. Update Peerboard to see everything.`
    : null
}

/** Calls `onChange` after every transaction that changed the ledger doc; returns the unsubscribe. */
export const observeLedger = (doc: Y.Doc, onChange: () => void): (() => void) => {
  const maps = [yLedgerEntriesOf(doc), yLedgerSigsOf(doc), yLedgerDeclinesOf(doc), yLedgerUnitsOf(doc), yLedgerVersionsOf(doc)]
  const handler = (): void => onChange()
  for (const yMap of maps) yMap.observe(handler)
  return () => {
    for (const yMap of maps) yMap.unobserve(handler)
  }
}

/**
 * What the doc holds that verifies and the local store does not have yet (SPEC [G17]): entries
 * that verify on their own for this ledger, and signatures that verify over such an entry's bytes
 * (the entry taken from the doc or the store).
 */
export const readNewlyVerified = (
  doc: Y.Doc,
  ledger: LedgerId,
  stored: LedgerStoreContents,
  verifier: LedgerVerifier = defaultLedgerVerifier,
): LedgerStoreContents => {
  const entries = new Map<string, EntryEnvelope>()
  const bodyOf = (id: string): string | null => {
    const own = stored.entries.get(id) ?? entries.get(id)
    if (own !== undefined) return own.body
    const verdict = verifier.checkEntry(id, yLedgerEntriesOf(doc).get(id))
    return verdict.ok && verdict.body.ledger === ledger ? verdict.envelope.body : null
  }
  yLedgerEntriesOf(doc).forEach((value, id) => {
    if (stored.entries.has(id)) return
    const verdict = verifier.checkEntry(id, value)
    if (verdict.ok && verdict.body.ledger === ledger) entries.set(id, verdict.envelope)
  })
  const signatures = (kind: 'consent' | 'decline', yMap: Y.Map<unknown>, have: ReadonlyMap<string, string>) => {
    const out = new Map<string, string>()
    yMap.forEach((sig, key) => {
      if (have.get(key) === sig) return
      const parts = splitLedgerSigKey(key)
      if (parts === null || typeof sig !== 'string') return
      const body = bodyOf(parts.entryId)
      if (body !== null && verifier.checkSignature(kind, parts.entryId, body, parts.deviceKey, sig)) out.set(key, sig)
    })
    return out
  }
  return {
    entries,
    sigs: signatures('consent', yLedgerSigsOf(doc), stored.sigs),
    declines: signatures('decline', yLedgerDeclinesOf(doc), stored.declines),
  }
}

/**
 * What the local store holds that the doc lacks, or holds as something that does not verify
 * (SPEC [G17]): a rogue peer deleted or overwrote it. Re-publishing writes exactly these values
 * back. A doc value that verifies is left alone even if it differs from the stored one (an author
 * can make two valid signatures over one body): rewriting it could make two devices overwrite each
 * other forever.
 */
export const readMissingFromDoc = (
  doc: Y.Doc,
  stored: LedgerStoreContents,
  verifier: LedgerVerifier = defaultLedgerVerifier,
): LedgerStoreContents => {
  const yEntries = yLedgerEntriesOf(doc)
  const entries = new Map<EntryId, EntryEnvelope>()
  for (const [id, envelope] of stored.entries) {
    const current = yEntries.get(id)
    const same =
      isEnvelope(current) && current.body === envelope.body && current.signer === envelope.signer && current.sig === envelope.sig
    if (!same && (current === undefined || !verifier.checkEntry(id, current).ok)) entries.set(id as EntryId, envelope)
  }
  const missing = (kind: 'consent' | 'decline', yMap: Y.Map<unknown>, have: ReadonlyMap<string, string>) => {
    const out = new Map<string, string>()
    for (const [key, sig] of have) {
      const current = yMap.get(key)
      if (current === sig) continue
      const parts = splitLedgerSigKey(key)
      const body = parts === null ? undefined : stored.entries.get(parts.entryId)?.body
      const valid =
        current !== undefined &&
        parts !== null &&
        body !== undefined &&
        verifier.checkSignature(kind, parts.entryId, body, parts.deviceKey, current)
      if (!valid) out.set(key, sig)
    }
    return out
  }
  return {
    entries,
    sigs: missing('consent', yLedgerSigsOf(doc), stored.sigs),
    declines: missing('decline', yLedgerDeclinesOf(doc), stored.declines),
  }
}
