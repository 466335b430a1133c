import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import {
  countersignEntry,
  csvRow,
  declineEntry,
  exportLedgerCsv,
  exportLedgerJsonl,
  importLedgerEntries,
  LedgerImportError,
  parseCsv,
  readLedger,
  readMissingFromDoc,
  readNewlyVerified,
  recordContribution,
  recordTransfer,
  republishLedger,
  ROOT_LEDGER_ENTRIES,
  ROOT_LEDGER_SIGS,
  type LedgerStoreContents,
} from '../../shared/src'
import { expectRefused } from '../helpers/boards'
import { ANN, BEN, CAT, FULL_KEYRING, LEDGER, newLedgerDoc, writerFor } from '../helpers/ledger'

const view = (doc: Y.Doc) => readLedger(doc, LEDGER, FULL_KEYRING)

/** A ledger with a confirmed transfer, a declined one, a pending one and a memo that needs quoting. */
const sampleLedger = (): Y.Doc => {
  const doc = newLedgerDoc()
  recordContribution(doc, writerFor(ANN), { unit: 'EUR', amount: 10_000, memo: 'Rent, "March"', createdAt: 1 })
  const t = recordTransfer(doc, writerFor(ANN), { to: BEN.id, unit: 'EUR', amount: 1_500, createdAt: 2 })
  countersignEntry(doc, writerFor(BEN), t)
  const d = recordTransfer(doc, writerFor(ANN), { to: CAT.id, unit: 'EUR', amount: 100, createdAt: 3 })
  declineEntry(doc, writerFor(CAT), d)
  recordTransfer(doc, writerFor(ANN), { to: CAT.id, unit: 'EUR', amount: 200, memo: 'tools, tape', createdAt: 4 })
  return doc
}

/** What a fresh replica reads after importing `text`: the same view as the source. */
const roundTrip = (source: Y.Doc, text: string, format: 'csv' | 'jsonl') => {
  const target = newLedgerDoc()
  const report = importLedgerEntries(target, LEDGER, text, format)
  expect(view(target).entries).toEqual(view(source).entries)
  expect(view(target).balances).toEqual(view(source).balances)
  return report
}

describe('[G16] export and import', () => {
  it('[G16] CSV quoting round-trips commas, quotes and line breaks', () => {
    const fields = ['plain', 'a,b', 'say "hi"', 'two\r\nlines', '', 'end\n']
    const text = csvRow(fields) + csvRow(['x', 'y'])
    expect(parseCsv(text)).toEqual({
      rows: [
        { line: 1, fields },
        { line: 4, fields: ['x', 'y'] },
      ],
      error: null,
    })
  })

  it('[G16] a JSON Lines export imports into another replica with every signature', () => {
    const doc = sampleLedger()
    const report = roundTrip(doc, exportLedgerJsonl(view(doc).entries), 'jsonl')
    expect(report).toEqual({ entries: 4, sigs: 1, declines: 1 })
  })

  it('[G16] a CSV export imports into another replica; importing again writes nothing', () => {
    const doc = sampleLedger()
    const csv = exportLedgerCsv(view(doc).entries)
    expect(csv.split('\r\n')[0]).toBe(
      'id,type,unit,amount,from,to,refs,author,seq,prev,createdAt,memo,status,body,signer,sig,consents,declines',
    )
    roundTrip(doc, csv, 'csv')
    expect(importLedgerEntries(doc, LEDGER, csv, 'csv')).toEqual({ entries: 0, sigs: 0, declines: 0 })
  })

  it('[G16] one tampered line refuses the whole file, with a reason per line, and writes nothing', () => {
    const doc = sampleLedger()
    const lines = exportLedgerJsonl(view(doc).entries).trimEnd().split('\n')
    lines[1] = (lines[1] as string).replace('1500', '9500')
    const third = JSON.parse(lines[2] as string) as { sig: string }
    third.sig = `${third.sig.startsWith('A') ? 'B' : 'A'}${third.sig.slice(1)}`
    lines[2] = JSON.stringify(third)
    lines.push('not json')
    const target = newLedgerDoc()
    const error = expectRefused(target, () => importLedgerEntries(target, LEDGER, lines.join('\n'), 'jsonl'), 'invalid-input', 'file')
    expect(error).toBeInstanceOf(LedgerImportError)
    expect((error as LedgerImportError).problems).toEqual([
      { line: 2, reason: 'id does not match the entry’s bytes' },
      { line: 3, reason: 'signature does not verify' },
      { line: 5, reason: 'not a JSON line' },
    ])
  })

  it('[G16] a CSV line whose readable columns differ from the signed bytes is refused', () => {
    const doc = sampleLedger()
    const csv = exportLedgerCsv(view(doc).entries).replace(',10000,', ',99999,')
    const target = newLedgerDoc()
    const error = expectRefused(target, () => importLedgerEntries(target, LEDGER, csv, 'csv'), 'invalid-input', 'file')
    expect((error as LedgerImportError).problems).toEqual([{ line: 2, reason: 'the amount column does not match the signed entry' }])
  })

  it('[G16] a forged consent in an otherwise genuine file is refused', () => {
    const doc = sampleLedger()
    const lines = exportLedgerJsonl(view(doc).entries).trimEnd().split('\n')
    const pending = view(doc).entries.find((e) => e.status === 'pending')
    const index = lines.findIndex((l) => l.includes(pending?.id ?? '?'))
    const record = JSON.parse(lines[index] as string) as { consents: { key: string; sig: string }[] }
    record.consents.push({ key: CAT.key, sig: 'A'.repeat(86) })
    lines[index] = JSON.stringify(record)
    const target = newLedgerDoc()
    const error = expectRefused(target, () => importLedgerEntries(target, LEDGER, lines.join('\n'), 'jsonl'), 'invalid-input')
    expect((error as LedgerImportError).problems).toHaveLength(1)
    expect((error as LedgerImportError).problems[0]?.line).toBe(index + 1)
  })
})

describe('[G17] the local verified store', () => {
  const storeOf = (doc: Y.Doc): LedgerStoreContents => {
    const fresh = readNewlyVerified(doc, LEDGER, { entries: new Map(), sigs: new Map(), declines: new Map() })
    return fresh
  }

  it('[G17] a deleted entry and signature are re-published with their exact values, and the event is reported', () => {
    const doc = sampleLedger()
    const store = storeOf(doc)
    expect(store.entries.size).toBe(4)
    const before = view(doc)
    const confirmed = before.entries.find((e) => e.body?.type === 'transfer' && e.status === 'confirmed')
    const sigKey = [...doc.getMap(ROOT_LEDGER_SIGS).keys()][0] as string
    doc.getMap(ROOT_LEDGER_ENTRIES).delete(confirmed?.id ?? '')
    doc.getMap(ROOT_LEDGER_SIGS).delete(sigKey)
    expect(view(doc).balances).not.toEqual(before.balances)
    expect(readMissingFromDoc(doc, store).entries.size).toBe(1)
    expect(republishLedger(doc, store)).toEqual({ entries: 1, sigs: 1, declines: 0 })
    expect(view(doc)).toEqual(before)
    expect(republishLedger(doc, store)).toEqual({ entries: 0, sigs: 0, declines: 0 })
  })

  it('[G17] an overwritten entry is restored; the store never takes in what does not verify', () => {
    const doc = sampleLedger()
    const store = storeOf(doc)
    const id = [...store.entries.keys()][0] as string
    const genuine = store.entries.get(id)
    const forged = { ...genuine, body: (genuine?.body ?? '').replace('10000', '90000') }
    doc.getMap(ROOT_LEDGER_ENTRIES).set(id, forged)
    expect(readNewlyVerified(doc, LEDGER, { ...store, entries: new Map() }).entries.has(id)).toBe(false)
    expect(republishLedger(doc, store).entries).toBe(1)
    expect(doc.getMap(ROOT_LEDGER_ENTRIES).get(id)).toEqual(genuine)
  })
})
