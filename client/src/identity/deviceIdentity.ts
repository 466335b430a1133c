import {
  memberIdForKey,
  newSecretKey,
  secretKeySigner,
  type MemberId,
  type Signer,
} from '../../../shared/src'

/**
 * This device's Ed25519 key (SPEC [I1]), created on first use and kept in this browser's IndexedDB
 * (database `peerboard-identity`). The member id derives from the key that founded the member.
 *
 * The secret key is stored as raw bytes so that shared's synchronous signer can use it; it never
 * leaves the device (nothing sends or exports it). Keeping it as a non-extractable WebCrypto key
 * needs asynchronous signing throughout the ops and is a planned change.
 */
export interface DeviceIdentity {
  readonly memberId: MemberId
  readonly founderKey: Uint8Array
  readonly signer: Signer
}

const DB_NAME = 'peerboard-identity'
const STORE = 'keys'
const DEVICE_KEY = 'device'

const request = <T>(req: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'))
  })

const openDb = (): Promise<IDBDatabase> => {
  const req = indexedDB.open(DB_NAME, 1)
  req.onupgradeneeded = () => req.result.createObjectStore(STORE)
  return request(req)
}

interface StoredKey {
  readonly secretKey: Uint8Array
  readonly createdAt: number
}

let loading: Promise<DeviceIdentity> | null = null

/** Loads this device's identity, creating its key the first time. */
export const loadDeviceIdentity = (): Promise<DeviceIdentity> => {
  loading ??= (async () => {
    const db = await openDb()
    try {
      const read = db.transaction(STORE, 'readonly').objectStore(STORE)
      let stored = (await request(read.get(DEVICE_KEY))) as StoredKey | undefined
      if (stored === undefined || !(stored.secretKey instanceof Uint8Array) || stored.secretKey.length !== 32) {
        stored = { secretKey: newSecretKey(), createdAt: Date.now() }
        const write = db.transaction(STORE, 'readwrite')
        // `add`, not `put`: if another tab created a key meanwhile, this fails and we read theirs.
        try {
          await request(write.objectStore(STORE).add(stored, DEVICE_KEY))
        } catch {
          stored = (await request(db.transaction(STORE, 'readonly').objectStore(STORE).get(DEVICE_KEY))) as StoredKey
        }
      }
      const signer = secretKeySigner(stored.secretKey)
      return { memberId: memberIdForKey(signer.publicKey), founderKey: signer.publicKey, signer }
    } finally {
      db.close()
    }
  })()
  return loading
}
