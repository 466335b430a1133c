import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  balanceOf,
  countersignEntry,
  createLedgerVerifier,
  declareUnit,
  declineEntry,
  encodeEntryBody,
  entryIdOf,
  formatAmount,
  grantCreditLine,
  isEntryId,
  keyringFromMembers,
  LEDGER_SCHEMA_VERSION,
  ledgerIdForBoard,
  ledgerRoom,
  memberHistory,
  memberIdForKey,
  parseAmount,
  parseRoomName,
  readLedger,
  readLedgerVersionNotice,
  readLedgerUnits,
  recordContribution,
  recordEntry,
  recordPledge,
  recordTransfer,
  recordUsage,
  requestTransfer,
  reverseEntry,
  ROOT_LEDGER_ENTRIES,
  ROOT_LEDGER_VERSIONS,
  secretKeySigner,
  signEntry,
  signLedgerSignature,
  toBase64url,
  verifyEntryEnvelope,
  verifyLedgerSignature,
  waitingFor,
  type BoardId,
  type EntryBody,
  type EntryEnvelope,
  type EntryId,
  type LedgerId,
} from '../../shared/src'
import { expectRefused } from '../helpers/boards'
import {
  ANN,
  BEN,
  CAT,
  FULL_KEYRING,
  keyringOf,
  LEDGER,
  newLedgerDoc,
  secondDevice,
  writerFor,
} from '../helpers/ledger'

const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)?.map((b) => parseInt(b, 16)) ?? [])
const view = (doc: Y.Doc, keyring = FULL_KEYRING) => readLedger(doc, LEDGER, keyring)
const entry = (doc: Y.Doc, id: string) => view(doc).byId.get(id)

// Known-answer vector: RFC 8032 test keys 1 (payer) and 2 (payee), a fixed transfer body.
const KAT = {
  payer: secretKeySigner(hex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60')),
  payee: secretKeySigner(hex('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb')),
  text:
    '{"amount":1250,"author":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","createdAt":1700000000000,' +
    '"from":"If4x36FUomFia_hUBG_SJw","ledger":"LedgerLedgerLedger0000","memo":"Seeds for the garden",' +
    '"prev":null,"refs":[],"seq":1,"to":"OfcT0KZEJT8EUpQhufUbmw","type":"transfer","unit":"EUR","v":1}',
  id: 'Nd7zOGa6yMb6gqlsofTz4sYVlJFsS-hGG9byfmGXwWo',
  sig: '1ju0Y-12kD3JIHTARH_5nCvu-63MlUBdzdGcks2Ibn0Vl01LNL3dt6-RCdw1vERkcF8j6wzu2Ezi1eg517bWAg',
  consent: 'Sg0AtyGW6h2oxutK2au0dK6Mlv-wWyy8jtmuWV852X7zmUYNl_xPT9MgWohgiqorkXQcSFT_5a9R3dRYJwt8AA',
  decline: 'L8w4LgBmG0nJhjp4LJIeCbX0Hg1tV4X45KaH7X9uJqEsiWAVDlgPrUUvIIe-f5OXMJmWjE_bpM2oZ__36Ub1Bg',
}

const katBody = (): EntryBody => ({
  v: 1,
  ledger: LEDGER,
  type: 'transfer',
  unit: 'EUR',
  amount: 1250,
  from: memberIdForKey(KAT.payer.publicKey),
  to: memberIdForKey(KAT.payee.publicKey),
  refs: [],
  author: toBase64url(KAT.payer.publicKey),
  seq: 1,
  prev: null,
  createdAt: 1_700_000_000_000,
  memo: 'Seeds for the garden',
})

describe('[G1] content-addressed entries', () => {
  it('[G1] canonical bytes are the same for reordered input, and the id is their SHA-256', () => {
    const body = katBody()
    const reordered = Object.fromEntries(Object.entries(body).reverse()) as unknown as EntryBody
    expect(encodeEntryBody(reordered)).toBe(encodeEntryBody(body))
    expect(encodeEntryBody(body)).toBe(KAT.text)
    expect(entryIdOf(KAT.text)).toBe(KAT.id)
    expect(isEntryId(KAT.id)).toBe(true)
  })

  it('[G1] the stored body is verified verbatim: a re-serialised (non-canonical) body is refused', () => {
    const { envelope } = signEntry(KAT.payer, katBody())
    const spaced = JSON.stringify(JSON.parse(envelope.body), null, 1)
    const resigned = { ...envelope, body: spaced }
    const verdict = verifyEntryEnvelope(entryIdOf(spaced), resigned)
    expect(verdict.ok).toBe(false)
  })
})

describe('[G4] signatures', () => {
  it('[G4] known-answer vectors: fixed keys give fixed entry, consent and decline signatures', () => {
    const { id, envelope } = signEntry(KAT.payer, katBody())
    expect(id).toBe(KAT.id)
    expect(envelope).toEqual({ body: KAT.text, signer: toBase64url(KAT.payer.publicKey), sig: KAT.sig })
    expect(signLedgerSignature(KAT.payee, 'consent', KAT.text)).toBe(KAT.consent)
    expect(signLedgerSignature(KAT.payee, 'decline', KAT.text)).toBe(KAT.decline)
    const payeeKey = toBase64url(KAT.payee.publicKey)
    expect(verifyLedgerSignature('consent', KAT.text, payeeKey, KAT.consent)).toBe(true)
    // Domains are separate: a decline is never a consent, nor an entry signature a consent.
    expect(verifyLedgerSignature('consent', KAT.text, payeeKey, KAT.decline)).toBe(false)
    expect(verifyLedgerSignature('consent', KAT.text, toBase64url(KAT.payer.publicKey), KAT.sig)).toBe(false)
  })

  it('[G4] an entry verifies on its own; a changed amount, another signer or a wrong id is refused with a reason', () => {
    const { id, envelope } = signEntry(KAT.payer, katBody())
    expect(verifyEntryEnvelope(id, envelope)).toMatchObject({ ok: true })
    const tampered = { ...envelope, body: envelope.body.replace('1250', '9250') }
    expect(verifyEntryEnvelope(id, tampered)).toMatchObject({ ok: false, reason: 'id does not match the entry’s bytes' })
    expect(verifyEntryEnvelope(entryIdOf(tampered.body), tampered)).toMatchObject({ ok: false, reason: 'signature does not verify' })
    const other = { ...envelope, signer: toBase64url(KAT.payee.publicKey) }
    expect(verifyEntryEnvelope(id, other)).toMatchObject({ ok: false, reason: 'signed by a key other than its author' })
    expect(verifyEntryEnvelope(id, 'nonsense')).toMatchObject({ ok: false, reason: 'not a ledger entry' })
  })

  it('[G4] the verifier checks each stored value once', () => {
    const verifier = createLedgerVerifier()
    const { id, envelope } = signEntry(KAT.payer, katBody())
    verifier.checkEntry(id, envelope)
    verifier.checkEntry(id, { ...envelope })
    expect(verifier.verified.entries).toBe(1)
    verifier.checkEntry(id, { ...envelope, sig: KAT.consent })
    expect(verifier.verified.entries).toBe(2)
  })
})

describe('[G3] the ledger doc and room', () => {
  it('[G3] a board’s ledger has a derived id and its own room, which parseRoomName recognises', () => {
    const boardId = 'BoardBoardBoardBoard00' as BoardId
    const ledgerId = ledgerIdForBoard(boardId)
    expect(ledgerId).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(ledgerId).toBe(ledgerIdForBoard(boardId))
    expect(ledgerId).not.toBe(boardId)
    const room = ledgerRoom(boardId, ledgerId)
    expect(room).toBe(`${boardId}.l.${ledgerId}`)
    expect(parseRoomName(room)).toEqual({ kind: 'ledger', boardId, ledgerId })
  })

  it('[G3] recording adds one key to the entries map and never changes another', () => {
    const doc = newLedgerDoc()
    const first = recordContribution(doc, writerFor(ANN), { unit: 'EUR', amount: 500, createdAt: 1 })
    const stored = doc.getMap(ROOT_LEDGER_ENTRIES).get(first)
    recordContribution(doc, writerFor(ANN), { unit: 'EUR', amount: 700, createdAt: 2 })
    expect(doc.getMap(ROOT_LEDGER_ENTRIES).size).toBe(2)
    expect(doc.getMap(ROOT_LEDGER_ENTRIES).get(first)).toBe(stored)
  })
})

describe('[G5] balances', () => {
  it('[G5] contribution raises member and pool, usage lowers both, transfer moves between members', () => {
    const doc = newLedgerDoc()
    recordContribution(doc, writerFor(ANN), { unit: 'EUR', amount: 10_000, createdAt: 1 })
    recordUsage(doc, writerFor(ANN), { unit: 'EUR', amount: 2_500, createdAt: 2 })
    const t = recordTransfer(doc, writerFor(ANN), { to: BEN.id, unit: 'EUR', amount: 1_000, createdAt: 3 })
    countersignEntry(doc, writerFor(BEN), t)
    const v = view(doc)
    expect(balanceOf(v, 'EUR', ANN.id)).toBe(6_500n)
    expect(balanceOf(v, 'EUR', BEN.id)).toBe(1_000n)
    expect(v.pool).toEqual([{ unit: 'EUR', total: 7_500n }])
    expect(memberHistory(v, BEN.id).map((e) => e.id)).toEqual([t])
  })

  it('[G5] amounts typed in major units become exact minor units, and format back', () => {
    expect(parseAmount('12.5', 2)).toBe(1250)
    expect(parseAmount('0,07', 2)).toBe(7)
    expect(parseAmount('3', 0)).toBe(3)
    expect(parseAmount('0.1', 6)).toBe(100_000)
    expect(() => parseAmount('1.005', 2)).toThrow('at most 2 decimals')
    expect(() => parseAmount('0', 2)).toThrow('more than zero')
    expect(() => parseAmount('-3', 2)).toThrow()
    expect(() => parseAmount('1e3', 2)).toThrow()
    expect(formatAmount(1250, 2)).toBe('12.50')
    expect(formatAmount(-7n, 2)).toBe('-0.07')
    expect(formatAmount(42, 0)).toBe('42')
  })
})

describe('[G6] consent', () => {
  it('[G6] a transfer is pending and counts 0 until the payee countersigns, on the same bytes', () => {
    const doc = newLedgerDoc()
    recordContribution(doc, writerFor(ANN), { unit: 'EUR', amount: 5_000, createdAt: 1 })
    const t = recordTransfer(doc, writerFor(ANN), { to: BEN.id, unit: 'EUR', amount: 2_000, createdAt: 2 })
    expect(entry(doc, t)).toMatchObject({ status: 'pending', waitingFor: [BEN.id], counts: false })
    expect(balanceOf(view(doc), 'EUR', BEN.id)).toBe(0n)
    expect(waitingFor(view(doc), BEN.id).map((e) => e.id)).toEqual([t])
    expect(waitingFor(view(doc), ANN.id)).toEqual([])
    expectRefused(doc, () => countersignEntry(doc, writerFor(CAT), t), 'forbidden')
    countersignEntry(doc, writerFor(BEN), t)
    expect(entry(doc, t)).toMatchObject({ status: 'confirmed', signedBy: [ANN.id, BEN.id].sort(), counts: true })
    expect(balanceOf(view(doc), 'EUR', BEN.id)).toBe(2_000n)
    expectRefused(doc, () => countersignEntry(doc, writerFor(BEN), t), 'invalid-input', 'entry')
  })

  it('[G6] a payee may request a transfer; it counts once the payer signs', () => {
    const doc = newLedgerDoc()
    recordContribution(doc, writerFor(BEN), { unit: 'hours', amount: 10, createdAt: 1 })
    const t = requestTransfer(doc, writerFor(ANN), { from: BEN.id, unit: 'hours', amount: 4, createdAt: 2 })
    expect(entry(doc, t)?.waitingFor).toEqual([BEN.id])
    countersignEntry(doc, writerFor(BEN), t)
    expect(balanceOf(view(doc), 'hours', ANN.id)).toBe(4n)
  })

  it('[G6] another certified device of the member signs for the member; an uncertified device shows as unknown', () => {
    const doc = newLedgerDoc()
    const phone = secondDevice(BEN, 21)
    const keyring = keyringOf(ANN, BEN, phone)
    recordContribution(doc, writerFor(ANN, keyring), { unit: 'EUR', amount: 100, createdAt: 1 })
    const t = recordTransfer(doc, writerFor(ANN, keyring), { to: BEN.id, unit: 'EUR', amount: 100, createdAt: 2 })
    countersignEntry(doc, writerFor(phone, keyring), t)
    expect(view(doc, keyring).byId.get(t)?.status).toBe('confirmed')
    // Without the phone's certificate the countersignature is not (yet) the member's.
    expect(view(doc, FULL_KEYRING).byId.get(t)?.status).toBe('pending')
    // Without Ann's device, her entries are from an unknown device and count 0, until the keyring grows.
    const withoutAnn = view(doc, keyringOf(BEN, phone))
    expect(withoutAnn.byId.get(t)).toMatchObject({ status: 'unknown-device', counts: false })
    expect(withoutAnn.balances).toEqual([])
  })

  it('[G6] a device key claimed by two members belongs to neither, unless it founded one of them', () => {
    const phone = secondDevice(BEN, 24)
    const both = keyringFromMembers([
      { id: ANN.id, devices: [ANN.key, phone.key, BEN.key] },
      { id: BEN.id, devices: [BEN.key, phone.key] },
    ])
    expect(both(phone.key)).toBeNull()
    expect(both(BEN.key)).toBe(BEN.id)
    expect(both(ANN.key)).toBe(ANN.id)
    expect(both(CAT.key)).toBeNull()
  })

  it('[G6] a device that is not a verified member cannot write', () => {
    const doc = newLedgerDoc()
    expectRefused(doc, () => recordContribution(doc, writerFor(CAT, keyringOf(ANN)), { unit: 'EUR', amount: 1, createdAt: 1 }), 'forbidden')
  })
})

describe('[G7] decline', () => {
  it('[G7] a declined transfer counts 0 and the ops refuse to countersign it', () => {
    const doc = newLedgerDoc()
    recordContribution(doc, writerFor(ANN), { unit: 'EUR', amount: 5_000, createdAt: 1 })
    const t = recordTransfer(doc, writerFor(ANN), { to: BEN.id, unit: 'EUR', amount: 2_000, createdAt: 2 })
    declineEntry(doc, writerFor(BEN), t)
    expect(entry(doc, t)).toMatchObject({ status: 'declined', declinedBy: [BEN.id], counts: false })
    expect(waitingFor(view(doc), BEN.id)).toEqual([])
    expectRefused(doc, () => countersignEntry(doc, writerFor(BEN), t), 'invalid-input')
    expect(balanceOf(view(doc), 'EUR', ANN.id)).toBe(5_000n)
  })

  it('[G7] the author declining its own pending entry withdraws it', () => {
    const doc = newLedgerDoc()
    recordContribution(doc, writerFor(ANN), { unit: 'EUR', amount: 100, createdAt: 1 })
    const t = recordTransfer(doc, writerFor(ANN), { to: BEN.id, unit: 'EUR', amount: 100, createdAt: 2 })
    expectRefused(doc, () => declineEntry(doc, writerFor(CAT), t), 'forbidden')
    declineEntry(doc, writerFor(ANN), t)
    expect(entry(doc, t)?.status).toBe('declined')
  })
})

describe('[G8] chains', () => {
  it('[G8] each device’s entries chain by seq and prev; two devices of one member keep separate chains', () => {
    const doc = newLedgerDoc()
    const laptop = secondDevice(ANN, 22)
    const keyring = keyringOf(ANN, laptop, BEN)
    const a1 = recordContribution(doc, writerFor(ANN, keyring), { unit: 'EUR', amount: 1, createdAt: 1 })
    const a2 = recordContribution(doc, writerFor(ANN, keyring), { unit: 'EUR', amount: 1, createdAt: 2 })
    const l1 = recordContribution(doc, writerFor(laptop, keyring), { unit: 'EUR', amount: 1, createdAt: 3 })
    const v = view(doc, keyring)
    expect(v.byId.get(a1)?.body).toMatchObject({ seq: 1, prev: null })
    expect(v.byId.get(a2)?.body).toMatchObject({ seq: 2, prev: a1 })
    expect(v.byId.get(l1)?.body).toMatchObject({ seq: 1, prev: null })
    expect(v.equivocations).toEqual([])
    expect(v.entries.every((e) => e.chain === 'ok')).toBe(true)
  })

  it('[G8] two entries with one (author, seq) are flagged as equivocation; both shown, neither dropped', () => {
    const a = newLedgerDoc(1)
    const b = new Y.Doc()
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    const x = recordContribution(a, writerFor(ANN), { unit: 'EUR', amount: 100, createdAt: 1 })
    const y = recordContribution(b, writerFor(ANN), { unit: 'EUR', amount: 300, createdAt: 1 })
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    const v = view(a)
    expect(v.equivocations).toEqual([{ author: ANN.key, authorMember: ANN.id, seq: 1, ids: [x, y].sort() }])
    expect(v.byId.get(x)).toMatchObject({ equivocation: true, counts: true })
    expect(v.byId.get(y)).toMatchObject({ equivocation: true, counts: true })
    expect(balanceOf(v, 'EUR', ANN.id)).toBe(400n)
  })

  it('[G8] an entry whose previous entry is missing shows a gap in its chain', () => {
    const doc = newLedgerDoc()
    const first = recordContribution(doc, writerFor(ANN), { unit: 'EUR', amount: 1, createdAt: 1 })
    const second = recordContribution(doc, writerFor(ANN), { unit: 'EUR', amount: 1, createdAt: 2 })
    const copy = newLedgerDoc()
    copy.getMap(ROOT_LEDGER_ENTRIES).set(second, doc.getMap(ROOT_LEDGER_ENTRIES).get(second))
    expect(view(copy).byId.get(second)?.chain).toBe('gap')
    expect(view(doc).byId.get(first)?.chain).toBe('ok')
  })
})

describe('[G9] reversal', () => {
  it('[G9] a reversal signed by both parties makes the transfer count 0; a reversal cannot be reversed', () => {
    const doc = newLedgerDoc()
    recordContribution(doc, writerFor(ANN), { unit: 'EUR', amount: 5_000, createdAt: 1 })
    const t = recordTransfer(doc, writerFor(ANN), { to: BEN.id, unit: 'EUR', amount: 2_000, createdAt: 2 })
    countersignEntry(doc, writerFor(BEN), t)
    const r = reverseEntry(doc, writerFor(BEN), { target: t as EntryId, memo: 'wrong person', createdAt: 3 })
    expect(entry(doc, r)).toMatchObject({ status: 'pending', waitingFor: [ANN.id] })
    expect(entry(doc, t)?.status).toBe('confirmed')
    expectRefused(doc, () => reverseEntry(doc, writerFor(ANN), { target: t as EntryId, createdAt: 4 }), 'invalid-input', 'entry')
    countersignEntry(doc, writerFor(ANN), r)
    expect(entry(doc, t)).toMatchObject({ status: 'reversed', reversedBy: [r], counts: false })
    expect(balanceOf(view(doc), 'EUR', BEN.id)).toBe(0n)
    expect(balanceOf(view(doc), 'EUR', ANN.id)).toBe(5_000n)
    expectRefused(doc, () => reverseEntry(doc, writerFor(ANN), { target: r as EntryId, createdAt: 5 }), 'invalid-input', 'entry')
    expectRefused(doc, () => reverseEntry(doc, writerFor(ANN), { target: t as EntryId, createdAt: 5 }), 'invalid-input', 'entry')
  })

  it('[G9] a pending entry is declined, not reversed', () => {
    const doc = newLedgerDoc()
    recordContribution(doc, writerFor(ANN), { unit: 'EUR', amount: 500, createdAt: 1 })
    const t = recordTransfer(doc, writerFor(ANN), { to: BEN.id, unit: 'EUR', amount: 100, createdAt: 2 })
    const refused = expectRefused(doc, () => reverseEntry(doc, writerFor(ANN), { target: t as EntryId, createdAt: 3 }), 'invalid-input')
    expect(refused.message).toContain('decline a pending one instead')
  })

  it('[G9] only a party can reverse', () => {
    const doc = newLedgerDoc()
    const c = recordContribution(doc, writerFor(ANN), { unit: 'EUR', amount: 5_000, createdAt: 1 })
    expectRefused(doc, () => reverseEntry(doc, writerFor(BEN), { target: c as EntryId, createdAt: 2 }), 'forbidden')
  })
})

describe('[G10] credit lines', () => {
  it('[G10] the payer’s device refuses a transfer or usage beyond its credit limit, pending ones included', () => {
    const doc = newLedgerDoc()
    recordContribution(doc, writerFor(ANN), { unit: 'EUR', amount: 1_000, createdAt: 1 })
    const refused = expectRefused(
      doc,
      () => recordTransfer(doc, writerFor(ANN), { to: BEN.id, unit: 'EUR', amount: 1_001, createdAt: 2 }),
      'invalid-input',
      'amount',
    )
    expect(refused.message).toBe('This would take your balance to -0.01 EUR, beyond your credit limit of 0.00 EUR.')
    grantCreditLine(doc, writerFor(BEN), { to: ANN.id, unit: 'EUR', amount: 500, createdAt: 3 })
    recordTransfer(doc, writerFor(ANN), { to: BEN.id, unit: 'EUR', amount: 1_200, createdAt: 4 })
    // 1_200 is pending: a further usage of 400 would end at -600, beyond the limit of 500.
    expectRefused(doc, () => recordUsage(doc, writerFor(ANN), { unit: 'EUR', amount: 400, createdAt: 5 }), 'invalid-input', 'amount')
    recordUsage(doc, writerFor(ANN), { unit: 'EUR', amount: 300, createdAt: 5 })
  })

  it('[G10] the payer’s device also refuses to countersign a request beyond its credit', () => {
    const doc = newLedgerDoc()
    recordContribution(doc, writerFor(BEN), { unit: 'hours', amount: 3, createdAt: 1 })
    const t = requestTransfer(doc, writerFor(ANN), { from: BEN.id, unit: 'hours', amount: 5, createdAt: 2 })
    expectRefused(doc, () => countersignEntry(doc, writerFor(BEN), t), 'invalid-input', 'amount')
    grantCreditLine(doc, writerFor(CAT), { to: BEN.id, unit: 'hours', amount: 2, createdAt: 3 })
    countersignEntry(doc, writerFor(BEN), t)
    expect(balanceOf(view(doc), 'hours', BEN.id)).toBe(-2n)
    expect(view(doc).credit).toMatchObject([{ member: BEN.id, limit: 2n, used: 2n, overshoot: false }])
  })

  it('[G10] the merged view flags an overshoot that no single device could see', () => {
    const a = newLedgerDoc(1)
    const b = new Y.Doc()
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    recordContribution(a, writerFor(ANN), { unit: 'EUR', amount: 1_000, createdAt: 1 })
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    // Two devices of Ann, offline, each spend what looks available.
    const laptop = secondDevice(ANN, 23)
    const keyring = keyringOf(ANN, laptop, BEN)
    recordUsage(a, writerFor(ANN, keyring), { unit: 'EUR', amount: 800, createdAt: 2 })
    recordUsage(b, writerFor(laptop, keyring), { unit: 'EUR', amount: 800, createdAt: 2 })
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    const exposure = view(a, keyring).credit
    expect(exposure).toEqual([
      { unit: 'EUR', member: ANN.id, limit: 0n, balance: -600n, used: 600n, overshoot: true, lines: [] },
    ])
  })
})

describe('[G11] units', () => {
  it('[G11] a declared code is refused again; two devices declaring one code differently converge on the earliest', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    declareUnit(a, { code: 'bike-days', label: 'Bike days', decimals: 0, declaredAt: 20 })
    declareUnit(b, { code: 'bike-days', label: 'Bike-days (half days)', decimals: 1, declaredAt: 10 })
    expectRefused(a, () => declareUnit(a, { code: 'bike-days', label: 'Again', decimals: 0, declaredAt: 30 }), 'invalid-input', 'code')
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    const units = readLedgerUnits(a)
    expect(units).toEqual(readLedgerUnits(b))
    expect(units).toEqual([
      { code: 'bike-days', label: 'Bike-days (half days)', decimals: 1, conflicts: [{ code: 'bike-days', label: 'Bike days', decimals: 0 }] },
    ])
  })

  it('[G11] an entry in an undeclared unit is refused', () => {
    const doc = newLedgerDoc()
    expectRefused(doc, () => recordContribution(doc, writerFor(ANN), { unit: 'kg', amount: 1, createdAt: 1 }), 'invalid-input', 'unit')
  })
})

describe('[G14] pledges', () => {
  it('[G14] a pledge counts 0; entries naming it fulfil it', () => {
    const doc = newLedgerDoc()
    const p = recordPledge(doc, writerFor(ANN), { unit: 'hours', amount: 10, refs: ['decision:roof-repair'], createdAt: 1 })
    recordContribution(doc, writerFor(ANN), { unit: 'hours', amount: 4, refs: [p], createdAt: 2 })
    let pledge = view(doc).pledges[0]
    expect(pledge).toMatchObject({ id: p, state: 'partly-fulfilled', fulfilled: 4n, refs: ['decision:roof-repair'] })
    recordContribution(doc, writerFor(ANN), { unit: 'hours', amount: 6, refs: [p], createdAt: 3 })
    pledge = view(doc).pledges[0]
    expect(pledge).toMatchObject({ state: 'fulfilled', fulfilled: 10n })
    expect(balanceOf(view(doc), 'hours', ANN.id)).toBe(10n)
  })

  it('[G14] a pledge to a member is fulfilled by transfers to that member only', () => {
    const doc = newLedgerDoc()
    recordContribution(doc, writerFor(ANN), { unit: 'EUR', amount: 10_000, createdAt: 1 })
    const p = recordPledge(doc, writerFor(ANN), { to: BEN.id, unit: 'EUR', amount: 3_000, createdAt: 2 })
    recordContribution(doc, writerFor(ANN), { unit: 'EUR', amount: 1_000, refs: [p], createdAt: 3 })
    const toCat = recordTransfer(doc, writerFor(ANN), { to: CAT.id, unit: 'EUR', amount: 1_000, refs: [p], createdAt: 4 })
    countersignEntry(doc, writerFor(CAT), toCat)
    const toBen = recordTransfer(doc, writerFor(ANN), { to: BEN.id, unit: 'EUR', amount: 1_000, refs: [p], createdAt: 5 })
    expect(view(doc).pledges[0]).toMatchObject({ state: 'open', fulfilled: 0n })
    countersignEntry(doc, writerFor(BEN), toBen)
    expect(view(doc).pledges[0]).toMatchObject({ state: 'partly-fulfilled', fulfilled: 1_000n, fulfilledBy: [toBen] })
  })
})

describe('[G15] ledger schema', () => {
  it('[G15] a ledger marked by a newer schema shows a notice and stays writable', () => {
    const doc = newLedgerDoc()
    expect(doc.getMap(ROOT_LEDGER_VERSIONS).get(String(LEDGER_SCHEMA_VERSION))).toBe(true)
    expect(readLedgerVersionNotice(doc)).toBeNull()
    doc.getMap(ROOT_LEDGER_VERSIONS).set(String(LEDGER_SCHEMA_VERSION + 1), true)
    expect(readLedgerVersionNotice(doc)).toMatch(/newer version/)
    recordContribution(doc, writerFor(ANN), { unit: 'EUR', amount: 1, createdAt: 1 })
    expect(readLedgerVersionNotice(doc)).toMatch(/newer version/)
  })
})

describe('[G2] entry fields', () => {
  it('[G2] malformed inputs are refused naming the field, writing nothing', () => {
    const doc = newLedgerDoc()
    const w = writerFor(ANN)
    expectRefused(doc, () => recordContribution(doc, w, { unit: 'EUR', amount: 1.5, createdAt: 1 }), 'invalid-input', 'amount')
    expectRefused(doc, () => recordContribution(doc, w, { unit: 'EUR', amount: 0, createdAt: 1 }), 'invalid-input', 'amount')
    expectRefused(doc, () => recordContribution(doc, w, { unit: 'EUR', amount: 1, memo: 'a\nb', createdAt: 1 }), 'invalid-input', 'memo')
    expectRefused(doc, () => recordTransfer(doc, w, { to: ANN.id, unit: 'EUR', amount: 1, createdAt: 1 }), 'invalid-input')
    expectRefused(
      doc,
      () => recordEntry(doc, w, { type: 'reversal' as 'transfer', unit: 'EUR', amount: 1, from: ANN.id, to: null, createdAt: 1 }),
      'invalid-input',
      'type',
    )
  })

  it('[G2] an entry for another ledger is listed as invalid', () => {
    const doc = newLedgerDoc()
    const other = { ...katBody(), ledger: 'OtherOtherOtherOther00' as LedgerId }
    const { id, envelope } = signEntry(KAT.payer, other)
    doc.getMap<EntryEnvelope>(ROOT_LEDGER_ENTRIES).set(id, envelope)
    expect(view(doc).byId.get(id)).toMatchObject({ status: 'invalid', reason: 'entry belongs to another ledger' })
  })
})
