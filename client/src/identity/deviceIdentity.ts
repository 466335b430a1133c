import {
  certifyDevice,
  fromBase64url,
  isMemberId,
  memberIdForKey,
  newSecretKey,
  secretKeySigner,
  toBase64url,
  type DeviceCertificate,
  type MemberId,
  type Signer,
} from '../../../shared/src'
import { idbRequest as request } from '../collab/indexedDb'

/**
 * This device's Ed25519 key (SPEC [I1]), created on first use and kept in this browser's IndexedDB
 * (database `peerboard-identity`), and the member it belongs to: the member it founded (member id
 * derived from its own key), or, once it has joined an existing member, that member, proven by the
 * founder's certificate for this device's key (SPEC [I2]).
 *
 * The secret key is stored as raw bytes so that shared's synchronous signer can use it; it never
 * leaves the device (nothing sends or exports it: joining a member exchanges public keys and a
 * certificate only). Keeping it as a non-extractable WebCrypto key needs asynchronous signing
 * throughout the ops and is a planned change.
 */
export interface DeviceIdentity {
  readonly memberId: MemberId
  /** The member's founding key (this device's own key unless it joined another member). */
  readonly founderKey: Uint8Array
  /** Certificates to list in the member record: this device's own, when it is not the founder. */
  readonly devices: readonly DeviceCertificate[]
  readonly signer: Signer
}

const DB_NAME = 'peerboard-identity'
const STORE = 'keys'
const DEVICE_KEY = 'device'
const MEMBERSHIP_KEY = 'membership'
/** Public keys of the devices this device certified: it invites them to each board it is on. */
const CERTIFIED_KEY = 'certified'

interface StoredKey {
  readonly secretKey: Uint8Array
  readonly createdAt: number
}

/** Joining an existing member: its founder key and the founder's certificate for this device. */
interface Membership {
  readonly member: MemberId
  readonly founder: string
  readonly certificate: DeviceCertificate
}


const openDb = (): Promise<IDBDatabase> => {
  const req = indexedDB.open(DB_NAME, 1)
  req.onupgradeneeded = () => req.result.createObjectStore(STORE)
  return request(req)
}

const withStore = async <T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => Promise<T>): Promise<T> => {
  const db = await openDb()
  try {
    return await run(db.transaction(STORE, mode).objectStore(STORE))
  } finally {
    db.close()
  }
}

const loadKey = async (): Promise<StoredKey> => {
  const stored = (await withStore('readonly', (s) => request(s.get(DEVICE_KEY)))) as StoredKey | undefined
  if (stored !== undefined && stored.secretKey instanceof Uint8Array && stored.secretKey.length === 32) return stored
  const fresh = { secretKey: newSecretKey(), createdAt: Date.now() }
  try {
    // `add`, not `put`: if another tab created a key meanwhile, this fails and we read theirs.
    await withStore('readwrite', (s) => request(s.add(fresh, DEVICE_KEY)))
    return fresh
  } catch {
    return (await withStore('readonly', (s) => request(s.get(DEVICE_KEY)))) as StoredKey
  }
}

const identityOf = (key: StoredKey, membership: Membership | undefined): DeviceIdentity => {
  const signer = secretKeySigner(key.secretKey)
  const founderKey = membership === undefined ? null : fromBase64url(membership.founder)
  if (membership === undefined || founderKey === null || membership.certificate.key !== toBase64url(signer.publicKey)) {
    return { memberId: memberIdForKey(signer.publicKey), founderKey: signer.publicKey, devices: [], signer }
  }
  return { memberId: membership.member, founderKey, devices: [membership.certificate], signer }
}

let loading: Promise<DeviceIdentity> | null = null

/** Loads this device's identity, creating its key the first time. */
export const loadDeviceIdentity = (): Promise<DeviceIdentity> => {
  loading ??= (async () => {
    const key = await loadKey()
    const membership = (await withStore('readonly', (s) => request(s.get(MEMBERSHIP_KEY)))) as Membership | undefined
    return identityOf(key, membership)
  })()
  return loading
}

/**
 * Step 1 on the new device: its public key, to give to a device of the member it joins.
 * (A public key: safe to show or send.)
 */
export const deviceCode = (identity: DeviceIdentity): string => toBase64url(identity.signer.publicKey)

/**
 * Step 2 on the founding device: a certificate for the new device's key, as a code to carry back.
 * Only the founding device can certify (SPEC [I2]).
 */
export const certifyDeviceCode = (identity: DeviceIdentity, code: string): string => {
  if (toBase64url(identity.founderKey) !== toBase64url(identity.signer.publicKey)) {
    throw new Error('Only the device that founded this member can add devices.')
  }
  const key = fromBase64url(code.trim())
  if (key === null || key.length !== 32) throw new Error('That is not a device code (43 characters).')
  const certificate = certifyDevice(identity.signer, identity.memberId, key, Date.now())
  rememberCertified(certificate.key).catch((error: unknown) => console.warn('Could not remember the linked device:', error))
  const payload: Membership = { member: identity.memberId, founder: toBase64url(identity.founderKey), certificate }
  return toBase64url(new TextEncoder().encode(JSON.stringify(payload)))
}

const rememberCertified = async (key: string): Promise<void> => {
  const known = await loadCertifiedKeys()
  if (!known.includes(key)) await withStore('readwrite', (s) => request(s.put([...known, key], CERTIFIED_KEY)))
}

/** The devices this device linked to its member (SPEC [I2]), which it invites to every board ([J12]). */
export const loadCertifiedKeys = async (): Promise<readonly string[]> => {
  const stored: unknown = await withStore('readonly', (s) => request(s.get(CERTIFIED_KEY)))
  return Array.isArray(stored) ? stored.filter((k): k is string => typeof k === 'string') : []
}

/** Step 3 on the new device: keeps the certificate; from then on this device is that member. */
export const joinMember = async (code: string): Promise<DeviceIdentity> => {
  const bytes = fromBase64url(code.trim())
  let membership: Membership | null = null
  try {
    membership = bytes === null ? null : (JSON.parse(new TextDecoder().decode(bytes)) as Membership)
  } catch {
    membership = null
  }
  const key = await loadKey()
  const own = toBase64url(secretKeySigner(key.secretKey).publicKey)
  const founder = membership === null ? null : fromBase64url(String(membership.founder))
  if (
    membership === null ||
    !isMemberId(membership.member) ||
    founder === null ||
    memberIdForKey(founder) !== membership.member ||
    typeof membership.certificate?.cert !== 'string'
  ) {
    throw new Error('That is not a certificate code from another device.')
  }
  if (membership.certificate.key !== own) throw new Error('That certificate is for another device.')
  await withStore('readwrite', (s) => request(s.put(membership, MEMBERSHIP_KEY)))
  loading = Promise.resolve(identityOf(key, membership))
  return loading
}
