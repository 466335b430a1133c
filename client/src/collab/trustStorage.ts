import type { BoardId, ChainEnvelope, EntryHash } from '../../../shared/src'
import { idbDone as done, idbRequest as request } from './indexedDb'

/**
 * This device's verified stores of signed entries (SPEC [E8]), kept in IndexedDB (database
 * `peerboard-trust`) apart from the boards' docs: what a board's doc loses, the device still has and
 * puts back. Per board: every entry it verified, under `<board>/<hash>`, and the genesis it trusts
 * (SPEC [J1]), or "legacy" for a board it first saw without one.
 */

const DB_NAME = 'peerboard-trust'
const ENTRIES = 'entries'
const PINS = 'pins'

export type StoredPin = EntryHash | 'legacy'

export interface StoredTrust {
  readonly pin: StoredPin | null
  readonly envelopes: readonly ChainEnvelope[]
}

const openDb = (): Promise<IDBDatabase> => {
  const req = indexedDB.open(DB_NAME, 1)
  req.onupgradeneeded = () => {
    req.result.createObjectStore(ENTRIES)
    req.result.createObjectStore(PINS)
  }
  return request(req)
}

const isEnvelope = (value: unknown): value is ChainEnvelope =>
  value !== null && typeof value === 'object' && typeof (value as ChainEnvelope).e === 'string' && typeof (value as ChainEnvelope).s === 'string'

/** Everything this device kept for `board` (nothing, for a board it never stored). */
export const loadTrust = async (board: BoardId): Promise<StoredTrust> => {
  const db = await openDb()
  try {
    const tx = db.transaction([ENTRIES, PINS], 'readonly')
    const range = IDBKeyRange.bound(`${board}/`, `${board}/\uffff`)
    const [values, pin] = await Promise.all([request(tx.objectStore(ENTRIES).getAll(range)), request(tx.objectStore(PINS).get(board))])
    return { pin: typeof pin === 'string' ? (pin as StoredPin) : null, envelopes: (values as unknown[]).filter(isEnvelope) }
  } finally {
    db.close()
  }
}

/** Keeps newly verified entries (and the pin, when given), in one transaction. */
export const saveTrust = async (
  board: BoardId,
  entries: readonly { readonly hash: EntryHash; readonly envelope: ChainEnvelope }[],
  pin?: StoredPin,
): Promise<void> => {
  if (entries.length === 0 && pin === undefined) return
  const db = await openDb()
  try {
    const tx = db.transaction([ENTRIES, PINS], 'readwrite')
    const store = tx.objectStore(ENTRIES)
    for (const { hash, envelope } of entries) store.put({ e: envelope.e, s: envelope.s }, `${board}/${hash}`)
    if (pin !== undefined) tx.objectStore(PINS).put(pin, board)
    await done(tx)
  } finally {
    db.close()
  }
}
