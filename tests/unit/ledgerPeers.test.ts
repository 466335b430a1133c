import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import {
  balanceOf,
  countersignEntry,
  entryIdOf,
  exportLedgerCsv,
  formatAmount,
  importLedgerEntries,
  parseCsv,
  readLedger,
  recordContribution,
  recordTransfer,
  recordUsage,
  requestTransfer,
  reversalUnderWay,
  reverseEntry,
  ROOT_LEDGER_DECLINES,
  ROOT_LEDGER_ENTRIES,
  ledgerSigKey,
  signEntry,
  signLedgerSignature,
  waitingFor,
  type EntryBody,
  type EntryId,
} from '../../shared/src'
import { ANN, BEN, CAT, FULL_KEYRING, LEDGER, newLedgerDoc, secondDevice, writerFor, type TestMember } from '../helpers/ledger'

/**
 * What a peer can put into a ledger doc that our own ops never write: values crafted by a modified
 * client, signed with that peer's own keys. Each test pins a bug found by review.
 */
const view = (doc: Y.Doc, keyring = FULL_KEYRING) => readLedger(doc, LEDGER, keyring)
const entry = (doc: Y.Doc, id: string) => view(doc).byId.get(id)

/** Stores an entry signed by `device` with exactly these fields, as a modified client could. */
const forge = (doc: Y.Doc, device: TestMember, fields: Partial<EntryBody>): EntryId => {
  const body: EntryBody = {
    v: 1,
    ledger: LEDGER,
    type: 'transfer',
    unit: 'EUR',
    amount: 100,
    from: device.id,
    to: null,
    refs: [],
    author: device.key,
    seq: 1,
    prev: null,
    createdAt: 10,
    memo: '',
    ...fields,
  }
  const { id, envelope } = signEntry(device.signer, body)
  doc.getMap(ROOT_LEDGER_ENTRIES).set(id, envelope)
  return id
}

/** A decline by `device` over the stored bytes of `id`, written straight into the doc. */
const forgeDecline = (doc: Y.Doc, device: TestMember, id: string): void => {
  const body = (doc.getMap(ROOT_LEDGER_ENTRIES).get(id) as { body: string }).body
  doc.getMap(ROOT_LEDGER_DECLINES).set(ledgerSigKey(id, device.key), signLedgerSignature(device.signer, 'decline', body))
}

describe('[G4] malformed entries from peers', () => {
  it('[G4] what an invalid entry claims is safe to show: amounts are safe integers, dates are real dates', () => {
    const doc = newLedgerDoc()
    const texts = [
      '{"amount":1.5,"type":"transfer","unit":"EUR","createdAt":1}',
      '{"amount":1e300,"type":"usage","unit":"EUR","createdAt":1}',
      '{"amount":-7,"type":"usage","unit":"EUR","createdAt":1}',
      '{"amount":5,"type":"usage","unit":"EUR","createdAt":1e300}',
      '{"amount":5,"type":"usage","unit":"EUR","createdAt":-1.5,"seq":0.5}',
      // Objects whose toString is not a function throw when turned into a string.
      '{"amount":5,"type":"usage","unit":"EUR","ledger":{"toString":1},"author":{"valueOf":null,"toString":null}}',
    ]
    for (const text of texts) doc.getMap(ROOT_LEDGER_ENTRIES).set(entryIdOf(text), { body: text, signer: ANN.key, sig: 'x' })
    const invalid = view(doc).entries.filter((e) => e.status === 'invalid')
    expect(invalid).toHaveLength(texts.length)
    for (const e of invalid) {
      if (e.body === null) continue
      expect(() => formatAmount(e.body?.amount ?? 0, 2)).not.toThrow()
      expect(Number.isSafeInteger(e.body.amount) && e.body.amount > 0).toBe(true)
      expect(() => new Date(e.body?.createdAt ?? 0).toISOString()).not.toThrow()
      expect(Number.isSafeInteger(e.body.seq)).toBe(true)
    }
  })
})

describe('[G7] a decline cannot take back what every party signed', () => {
  it('[G7] a payer’s decline after the payee countersigned leaves the transfer confirmed', () => {
    const doc = newLedgerDoc()
    recordContribution(doc, writerFor(ANN), { unit: 'EUR', amount: 5_000, createdAt: 1 })
    const t = recordTransfer(doc, writerFor(ANN), { to: BEN.id, unit: 'EUR', amount: 2_000, createdAt: 2 })
    countersignEntry(doc, writerFor(BEN), t)
    forgeDecline(doc, ANN, t)
    expect(entry(doc, t)).toMatchObject({ status: 'confirmed', counts: true })
    expect(balanceOf(view(doc), 'EUR', BEN.id)).toBe(2_000n)
  })

  it('[G7] a member cannot erase their own usage of the pool by declining it', () => {
    const doc = newLedgerDoc()
    recordContribution(doc, writerFor(BEN), { unit: 'EUR', amount: 5_000, createdAt: 1 })
    recordContribution(doc, writerFor(ANN), { unit: 'EUR', amount: 1_000, createdAt: 1 })
    const u = recordUsage(doc, writerFor(ANN), { unit: 'EUR', amount: 1_000, createdAt: 2 })
    forgeDecline(doc, secondDevice(ANN, 21), u)
    forgeDecline(doc, ANN, u)
    expect(entry(doc, u)).toMatchObject({ status: 'confirmed', counts: true })
    expect(view(doc).pool).toEqual([{ unit: 'EUR', total: 5_000n }])
  })

  it('[G7] a decline by someone who is not a party neither stops an entry nor shows as one', () => {
    const doc = newLedgerDoc()
    recordContribution(doc, writerFor(ANN), { unit: 'EUR', amount: 500, createdAt: 1 })
    const t = recordTransfer(doc, writerFor(ANN), { to: BEN.id, unit: 'EUR', amount: 100, createdAt: 2 })
    forgeDecline(doc, CAT, t)
    expect(entry(doc, t)).toMatchObject({ status: 'pending', waitingFor: [BEN.id], declinedBy: [] })
  })
})

describe('[G9] reversals that do not fit their target', () => {
  it('[G9] a reversal naming other parties than its target is invalid at once: it neither waits for anyone nor blocks a real reversal', () => {
    const doc = newLedgerDoc()
    recordContribution(doc, writerFor(ANN), { unit: 'EUR', amount: 5_000, createdAt: 1 })
    const t = recordTransfer(doc, writerFor(ANN), { to: BEN.id, unit: 'EUR', amount: 2_000, createdAt: 2 })
    countersignEntry(doc, writerFor(BEN), t)
    const rogue = forge(doc, CAT, { type: 'reversal', from: CAT.id, to: ANN.id, amount: 2_000, refs: [t] })
    expect(entry(doc, rogue)).toMatchObject({ status: 'invalid', reason: 'it does not match the entry it reverses' })
    expect(waitingFor(view(doc), ANN.id)).toEqual([])
    expect(reversalUnderWay(view(doc), t)).toBeUndefined()
    const r = reverseEntry(doc, writerFor(BEN), { target: t, createdAt: 3 })
    expect(reversalUnderWay(view(doc), t)?.id).toBe(r)
  })

  it('[G9] a reversal of a reversal is invalid before anyone signs it', () => {
    const doc = newLedgerDoc()
    recordContribution(doc, writerFor(ANN), { unit: 'EUR', amount: 5_000, createdAt: 1 })
    const t = recordTransfer(doc, writerFor(ANN), { to: BEN.id, unit: 'EUR', amount: 2_000, createdAt: 2 })
    countersignEntry(doc, writerFor(BEN), t)
    const r = reverseEntry(doc, writerFor(BEN), { target: t, createdAt: 3 })
    const rr = forge(doc, ANN, { type: 'reversal', from: ANN.id, to: BEN.id, amount: 2_000, refs: [r], seq: 3, prev: t })
    expect(entry(doc, rr)).toMatchObject({ status: 'invalid' })
    expect(waitingFor(view(doc), BEN.id).map((e) => e.id)).toEqual([])
  })

  it('[G9] a reversal by a device no member lists does not count as under way', () => {
    const doc = newLedgerDoc()
    recordContribution(doc, writerFor(ANN), { unit: 'EUR', amount: 5_000, createdAt: 1 })
    const t = recordTransfer(doc, writerFor(ANN), { to: BEN.id, unit: 'EUR', amount: 2_000, createdAt: 2 })
    countersignEntry(doc, writerFor(BEN), t)
    const stray = forge(doc, secondDevice(BEN, 22), { type: 'reversal', from: ANN.id, to: BEN.id, amount: 2_000, refs: [t] })
    expect(entry(doc, stray)?.status).toBe('unknown-device')
    expect(reversalUnderWay(view(doc), t)).toBeUndefined()
  })
})

describe('[G10] requests by others do not use up the payer’s credit', () => {
  it('[G10] payment requests the payer has not signed leave its own transfers possible', () => {
    const doc = newLedgerDoc()
    recordContribution(doc, writerFor(ANN), { unit: 'EUR', amount: 1_000, createdAt: 1 })
    requestTransfer(doc, writerFor(CAT), { from: ANN.id, unit: 'EUR', amount: 1_000, createdAt: 2 })
    recordTransfer(doc, writerFor(ANN), { to: BEN.id, unit: 'EUR', amount: 1_000, createdAt: 3 })
    expect(view(doc).entries.filter((e) => e.status === 'pending')).toHaveLength(2)
  })
})

describe('[G16] CSV export is safe to open in a spreadsheet', () => {
  it('[G16] no cell starts with = + - or @, and the file still imports exactly', () => {
    const doc = newLedgerDoc()
    recordContribution(doc, writerFor(ANN), { unit: 'EUR', amount: 500, memo: '=HYPERLINK("http://x.example","ok")', createdAt: 1 })
    recordContribution(doc, writerFor(ANN), { unit: 'EUR', amount: 500, memo: "'=already quoted", createdAt: 2 })
    recordContribution(doc, writerFor(ANN), { unit: 'EUR', amount: 500, memo: '+1 @home -x', createdAt: 3 })
    // Ids and signatures are base64url: some of them start with '-'.
    const startsWithDash = () => view(doc).entries.some((e) => e.id.startsWith('-') || e.envelope?.sig.startsWith('-'))
    for (let i = 4; i < 400 && !startsWithDash(); i++) recordContribution(doc, writerFor(ANN), { unit: 'EUR', amount: 1, createdAt: i })
    expect(startsWithDash()).toBe(true)
    const csv = exportLedgerCsv(view(doc).entries)
    const { rows } = parseCsv(csv)
    for (const row of rows) for (const field of row.fields) expect(field).not.toMatch(/^[=+\-@\t\r]/)
    const target = newLedgerDoc()
    importLedgerEntries(target, LEDGER, csv, 'csv')
    expect(view(target).entries).toEqual(view(doc).entries)
  })
})
