import { describe, expect, it } from 'vitest'
import {
  castStance,
  certifyDevice,
  keyringFromMembers,
  openPoll,
  publishMember,
  readDecisions,
  readDeviceOwners,
  readMemberRecords,
  toBase64url,
} from '../../shared/src'
import { ANN, BEN, CAT, decisionBoard, HOUR, T0, testMember } from '../helpers/decisions'

/*
 * Boards still written with member records (SPEC [I2]) have one answer to "whose key is this" for
 * every domain (keyringFromMembers): before, the ledger gave a key listed by two members to nobody
 * while decisions took whichever record was read last, so devices with identical data disagreed.
 */

const MALLORY = testMember(66, 'Mallory')

describe('adversary: one owner per key across domains (member records)', () => {
  it('[C14][G6] a member who lists another’s founding key in her own record does not take it over', () => {
    const { doc, proposal } = decisionBoard([ANN, BEN, CAT, MALLORY])
    const annKey = ANN.signer.publicKey
    publishMember(doc, MALLORY.signer, {
      founderKey: MALLORY.signer.publicKey,
      name: 'Mallory',
      color: '#aa0000',
      devices: [certifyDevice(MALLORY.signer, MALLORY.id, annKey, T0)],
      updatedAt: T0 + 1,
    })
    const poll = openPoll(doc, ANN.signer, { proposal, opener: ANN.id, openedAt: T0 + 2, closesAt: T0 + HOUR, body: '' })
    castStance(doc, ANN.signer, { poll, member: ANN.id, choice: 'consent', reason: '', castAt: T0 + 3 })
    const keyring = keyringFromMembers(readMemberRecords(doc).values())
    expect(keyring(toBase64url(annKey))).toBe(ANN.id)
    expect(readDeviceOwners(doc).get(toBase64url(annKey))).toBe(ANN.id)
    const tally = readDecisions(doc, T0 + 4).polls[0]?.tally
    expect(tally?.stances.map((s) => s.member)).toEqual([ANN.id])
  })

  it('[C14][G6] a device key two members list belongs to nobody, in the ledger and in decisions alike', () => {
    const { doc } = decisionBoard([ANN, BEN, CAT])
    const shared = testMember(77, 'Shared tablet').signer.publicKey
    for (const m of [ANN, BEN]) {
      publishMember(doc, m.signer, {
        founderKey: m.signer.publicKey,
        name: m.name,
        color: '#336699',
        devices: [certifyDevice(m.signer, m.id, shared, T0)],
        updatedAt: T0 + 1,
      })
    }
    const key = toBase64url(shared)
    expect(keyringFromMembers(readMemberRecords(doc).values())(key)).toBeNull()
    expect(readDeviceOwners(doc).has(key)).toBe(false)
  })
})
