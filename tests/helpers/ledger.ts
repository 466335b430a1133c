import * as Y from 'yjs'
import {
  declareUnit,
  keyringFromMembers,
  memberIdForKey,
  secretKeySigner,
  toBase64url,
  type Keyring,
  type LedgerId,
  type LedgerView,
  type LedgerWriter,
  type MemberId,
  type Signer,
} from '../../shared/src'

/** Ledger test fixtures: members with fixed device keys, a keyring over them, and a ready ledger doc. */

export const LEDGER = 'LedgerLedgerLedger0000' as LedgerId

export interface TestMember {
  readonly id: MemberId
  readonly signer: Signer
  readonly key: string
}

/** A member founded by the device whose secret key is 32 bytes of `n`. */
export const testMember = (n: number): TestMember => {
  const signer = secretKeySigner(new Uint8Array(32).fill(n))
  return { id: memberIdForKey(signer.publicKey), signer, key: toBase64url(signer.publicKey) }
}

/** A second device of `member`, with secret key bytes all `n`. */
export const secondDevice = (member: TestMember, n: number): TestMember => {
  const signer = secretKeySigner(new Uint8Array(32).fill(n))
  return { id: member.id, signer, key: toBase64url(signer.publicKey) }
}

export const ANN = testMember(11)
export const BEN = testMember(12)
export const CAT = testMember(13)

/** A keyring knowing exactly the given devices. */
export const keyringOf = (...devices: readonly TestMember[]): Keyring => {
  const members = new Map<MemberId, string[]>()
  for (const d of devices) members.set(d.id, [...(members.get(d.id) ?? []), d.key])
  return keyringFromMembers([...members].map(([id, keys]) => ({ id, devices: keys })))
}

export const FULL_KEYRING = keyringOf(ANN, BEN, CAT)

export const writerFor = (device: TestMember, keyring: Keyring = FULL_KEYRING): LedgerWriter => ({
  ledger: LEDGER,
  signer: device.signer,
  keyring,
})

/** A ledger doc with the units EUR (2 decimals) and hours (0 decimals). */
export const newLedgerDoc = (clientID?: number): Y.Doc => {
  const doc = new Y.Doc()
  if (clientID !== undefined) doc.clientID = clientID
  declareUnit(doc, { code: 'EUR', label: 'Euro', decimals: 2, declaredAt: 1 })
  declareUnit(doc, { code: 'hours', label: 'Hours', decimals: 0, declaredAt: 1 })
  return doc
}

/** A view as plain comparable data (Maps as entry lists, bigints as strings), for toEqual. */
export const plainView = (view: LedgerView): unknown =>
  JSON.parse(
    JSON.stringify(view, (_key, value: unknown) =>
      value instanceof Map ? [...value.entries()] : typeof value === 'bigint' ? value.toString() : value,
    ),
  )
