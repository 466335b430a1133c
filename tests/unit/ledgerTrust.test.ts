import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import {
  countersignEntry,
  createLedgerVerifier,
  emptyLedgerStoreContents,
  readLedger,
  readNewlyVerified,
  readPendingLedgerChecks,
  recordContribution,
  recordTransfer,
  ROOT_LEDGER_ENTRIES,
  ROOT_LEDGER_SIGS,
  type EntryEnvelope,
  type LedgerStoreContents,
} from '../../shared/src'
import { must } from '../helpers/boards'
import { ANN, BEN, FULL_KEYRING, LEDGER, newLedgerDoc, plainView, writerFor } from '../helpers/ledger'

/*
 * SPEC [G12] across sessions: a verifier given this device's local verified store ([G17]) does not
 * check again what the store holds with the exact same strings, and reads exactly what a verifier
 * that checks everything reads.
 */

/** A ledger of contributions and one countersigned transfer, and what a device verified of it. */
const session = (): { doc: Y.Doc; stored: LedgerStoreContents } => {
  const doc = newLedgerDoc()
  for (let i = 0; i < 20; i++) {
    recordContribution(doc, writerFor(ANN), { unit: 'EUR', amount: 100 + i, memo: `Seeds ${i}`, refs: [], createdAt: 1_000 + i })
  }
  const transfer = recordTransfer(doc, writerFor(ANN), { unit: 'EUR', amount: 250, to: BEN.id, memo: 'Tools', refs: [], createdAt: 2_000 })
  countersignEntry(doc, writerFor(BEN), transfer)
  const stored = readNewlyVerified(doc, LEDGER, emptyLedgerStoreContents(), createLedgerVerifier())
  return { doc, stored }
}

describe('reopening a ledger', () => {
  it('[G12] [G17] what the local verified store holds is not checked again, and reads the same', () => {
    const { doc, stored } = session()
    expect(stored.entries.size).toBe(21)
    expect(stored.sigs.size).toBe(1)
    const verifier = createLedgerVerifier()
    verifier.trust(stored)
    expect(readPendingLedgerChecks(doc, verifier)).toHaveLength(0)
    const view = readLedger(doc, LEDGER, FULL_KEYRING, verifier)
    expect(verifier.verified).toEqual({ entries: 0, signatures: 0 })
    expect(plainView(view)).toEqual(plainView(readLedger(doc, LEDGER, FULL_KEYRING, createLedgerVerifier())))
    expect(view.entries.filter((e) => e.status === 'confirmed')).toHaveLength(21)
  })

  it('[G12] [G17] a doc value that differs from the stored one by anything is checked, and a forgery rejected', () => {
    const { doc, stored } = session()
    const yEntries = doc.getMap<EntryEnvelope>(ROOT_LEDGER_ENTRIES)
    const [id, envelope] = must([...yEntries.entries()].find(([, e]) => e.body.includes('"memo":"Seeds 3"')))
    yEntries.set(id, { ...envelope, body: envelope.body.replace('"amount":103', '"amount":9999') })
    // The transfer's consent is offered over another entry of the same author.
    const [consentKey, consent] = must([...doc.getMap<string>(ROOT_LEDGER_SIGS).entries()][0])
    const [otherId] = must([...yEntries.entries()].find(([, e]) => e.body.includes('"memo":"Seeds 4"')))
    doc.getMap<string>(ROOT_LEDGER_SIGS).set(`${otherId}:${consentKey.split(':')[1] as string}`, consent)

    const verifier = createLedgerVerifier()
    verifier.trust(stored)
    expect(readPendingLedgerChecks(doc, verifier)).toHaveLength(2)
    const view = readLedger(doc, LEDGER, FULL_KEYRING, verifier)
    expect(verifier.verified).toEqual({ entries: 1, signatures: 1 })
    expect(view.byId.get(id)).toMatchObject({ status: 'invalid' })
    expect(view.badSignatures.map((b) => b.key)).toEqual([`${otherId}:${consentKey.split(':')[1] as string}`])
    expect(plainView(view)).toEqual(plainView(readLedger(doc, LEDGER, FULL_KEYRING, createLedgerVerifier())))
  })

  it('[G12] additions to the trusted store count from the next check on', () => {
    const { doc, stored } = session()
    const growing = { entries: new Map<string, EntryEnvelope>(), sigs: new Map<string, string>(), declines: new Map<string, string>() }
    const verifier = createLedgerVerifier()
    verifier.trust(growing)
    expect(readPendingLedgerChecks(doc, verifier)).toHaveLength(22)
    for (const [k, v] of stored.entries) growing.entries.set(k, v)
    for (const [k, v] of stored.sigs) growing.sigs.set(k, v)
    expect(readPendingLedgerChecks(doc, verifier)).toHaveLength(0)
  })
})
