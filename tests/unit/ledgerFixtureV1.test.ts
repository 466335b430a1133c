import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  keyringFromMembers,
  memberIdForKey,
  readLedger,
  readLedgerVersionNotice,
  readLedgerUnits,
  secretKeySigner,
  toBase64url,
  type LedgerId,
} from '../../shared/src'

const FIXTURE = new URL('../fixtures/ledger-v1.bin', import.meta.url)
const LEDGER = 'FixtureLedgerFixture01' as LedgerId

const device = (n: number) => {
  const signer = secretKeySigner(new Uint8Array(32).fill(n))
  return { key: toBase64url(signer.publicKey), id: memberIdForKey(signer.publicKey) }
}
const ann = device(0x21)
const ben = device(0x22)
const keyring = keyringFromMembers([
  { id: ann.id, devices: [ann.key] },
  { id: ben.id, devices: [ben.key] },
])

const load = (): Y.Doc => {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, new Uint8Array(readFileSync(FIXTURE)))
  return doc
}

/** See tests/fixtures/README.md for what ledger-v1.bin holds. */
describe('[G15] ledger-v1.bin: a ledger at ledger schema version 1', () => {
  it('[G15] ledger-v1.bin is byte-for-byte the committed fixture', () => {
    expect(createHash('sha256').update(readFileSync(FIXTURE)).digest('hex')).toBe(
      'b54a5d8486ec16eabf0d30993eda9eb955e66a5747dd1a956ad90549766d902d',
    )
  })

  it('[G15] reads as the ledger it was written as', () => {
    const doc = load()
    expect(readLedgerVersionNotice(doc)).toBeNull()
    expect(readLedgerUnits(doc).map((u) => [u.code, u.label, u.decimals])).toEqual([
      ['EUR', 'Euro', 2],
      ['hours', 'Hours', 0],
    ])
    const view = readLedger(doc, LEDGER, keyring)
    expect(view.entries.map((e) => [e.body?.type, e.body?.memo, e.status])).toEqual([
      ['contribution', 'Rent share', 'confirmed'],
      ['transfer', 'Seeds', 'confirmed'],
      ['transfer', 'Gloves', 'declined'],
      ['pledge', 'Work day', 'confirmed'],
      ['contribution', 'Digging', 'confirmed'],
      ['creditLine', 'Until spring', 'confirmed'],
      ['usage', 'Tools', 'confirmed'],
      ['contribution', 'typo', 'reversed'],
      ['reversal', 'entered by mistake', 'confirmed'],
    ])
    const balances = new Map(view.balances.map((b) => [`${b.unit} ${b.member}`, b.balance]))
    expect(balances).toEqual(
      new Map([
        [`EUR ${ann.id}`, -1_500n],
        [`EUR ${ben.id}`, 2_500n],
        [`hours ${ben.id}`, 4n],
      ]),
    )
    expect(view.pool).toEqual([
      { unit: 'EUR', total: 1_000n },
      { unit: 'hours', total: 4n },
    ])
    expect(view.pledges.map((p) => [p.state, p.fulfilled, p.refs])).toEqual([['partly-fulfilled', 4n, ['decision:work-day']]])
    expect(view.credit).toMatchObject([{ unit: 'EUR', member: ann.id, limit: 5_000n, balance: -1_500n, overshoot: false }])
    expect(view.equivocations).toEqual([])
    expect(view.entries.every((e) => e.chain === 'ok')).toBe(true)
  })
})
