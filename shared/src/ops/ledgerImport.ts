import type * as Y from 'yjs'
import type { LedgerId } from '../model/ids'
import { LedgerImportError } from '../model/ledger'
import { defaultLedgerVerifier, readMissingFromDoc } from '../read/ledger'
import { isEnvelope, type LedgerVerifier } from '../rules/ledgerEntries'
import { checkLedgerRecords, parseLedgerCsv, parseLedgerJsonl } from '../rules/ledgerExport'
import type { LedgerStoreContents } from '../rules/ledgerStore'
import { LOCAL_ORIGIN } from '../schema/origins'
import { ledgerSigKey, yLedgerDeclinesOf, yLedgerEntriesOf, yLedgerSigsOf } from '../schema/ledger'

/**
 * The ways into a ledger other than sync (SPEC [G16], [G17]): importing a file, and re-publishing
 * what the local verified store holds but the doc has lost. Both write verified values only,
 * exactly as they were signed, in one transaction.
 */

export interface LedgerImportReport {
  /** Entries, consents and declines written (those the doc already had are not counted). */
  readonly entries: number
  readonly sigs: number
  readonly declines: number
}


/**
 * Imports a CSV or JSON Lines export (SPEC [G16]). Every line is re-verified; if any line is
 * refused, nothing is written and a LedgerImportError lists every refused line with its reason.
 */
export const importLedgerEntries = (
  doc: Y.Doc,
  ledger: LedgerId,
  text: string,
  format: 'csv' | 'jsonl',
  verifier: LedgerVerifier = defaultLedgerVerifier,
): LedgerImportReport => {
  const file = format === 'csv' ? parseLedgerCsv(text) : parseLedgerJsonl(text)
  const problems = checkLedgerRecords(file, ledger, verifier)
  if (problems.length > 0) throw new LedgerImportError(problems)
  const yEntries = yLedgerEntriesOf(doc)
  const ySigs = yLedgerSigsOf(doc)
  const yDeclines = yLedgerDeclinesOf(doc)
  const entries = new Map<string, unknown>()
  const sigs = new Map<string, string>()
  const declines = new Map<string, string>()
  for (const { record } of file.records) {
    const current = yEntries.get(record.id)
    const e = record.envelope
    if (!(isEnvelope(current) && current.body === e.body && current.signer === e.signer && current.sig === e.sig)) {
      entries.set(record.id, { body: e.body, signer: e.signer, sig: e.sig })
    }
    for (const s of record.consents) if (ySigs.get(ledgerSigKey(record.id, s.key)) !== s.sig) sigs.set(ledgerSigKey(record.id, s.key), s.sig)
    for (const s of record.declines) {
      if (yDeclines.get(ledgerSigKey(record.id, s.key)) !== s.sig) declines.set(ledgerSigKey(record.id, s.key), s.sig)
    }
  }
  if (entries.size + sigs.size + declines.size > 0) {
    doc.transact(() => {
      for (const [id, envelope] of entries) yEntries.set(id, envelope)
      for (const [key, sig] of sigs) ySigs.set(key, sig)
      for (const [key, sig] of declines) yDeclines.set(key, sig)
    }, LOCAL_ORIGIN)
  }
  return { entries: entries.size, sigs: sigs.size, declines: declines.size }
}

/**
 * Writes back what the local verified store holds and the doc lacks or holds as something that
 * does not verify (SPEC [G17]): the exact stored values, in one transaction (none when nothing is missing).
 * Returns what was re-published, for the caller to flag.
 */
export const republishLedger = (
  doc: Y.Doc,
  stored: LedgerStoreContents,
  verifier: LedgerVerifier = defaultLedgerVerifier,
): LedgerImportReport => {
  const missing = readMissingFromDoc(doc, stored, verifier)
  const report = { entries: missing.entries.size, sigs: missing.sigs.size, declines: missing.declines.size }
  if (report.entries + report.sigs + report.declines === 0) return report
  doc.transact(() => {
    const yEntries = yLedgerEntriesOf(doc)
    for (const [id, envelope] of missing.entries) yEntries.set(id, { body: envelope.body, signer: envelope.signer, sig: envelope.sig })
    const ySigs = yLedgerSigsOf(doc)
    for (const [key, sig] of missing.sigs) ySigs.set(key, sig)
    const yDeclines = yLedgerDeclinesOf(doc)
    for (const [key, sig] of missing.declines) yDeclines.set(key, sig)
  }, LOCAL_ORIGIN)
  return report
}
