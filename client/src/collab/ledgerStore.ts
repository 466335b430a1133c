import type { EntryEnvelope, LedgerStoreContents } from '../../../shared/src'
import { idbRequest as request } from './indexedDb'

/**
 * The local verified store of one ledger (SPEC [G17]): every entry and signature this device has
 * verified, in its own IndexedDB database `peerboard-ledger:<room>`, apart from the doc's
 * y-indexeddb copy (a rogue deletion syncs into that copy too, but never into this store). Only
 * adds: nothing is ever deleted from it.
 */
const STORES = ['entries', 'sigs', 'declines'] as const


export interface LedgerStore {
  /** Everything stored so far. */
  load(): Promise<LedgerStoreContents>
  /** Adds newly verified items (in one IndexedDB transaction). */
  add(contents: LedgerStoreContents): Promise<void>
  close(): void
}

export const openLedgerStore = async (room: string): Promise<LedgerStore> => {
  const open = indexedDB.open(`peerboard-ledger:${room}`, 1)
  open.onupgradeneeded = () => {
    for (const name of STORES) if (!open.result.objectStoreNames.contains(name)) open.result.createObjectStore(name)
  }
  const db = await request(open)
  const readAll = async <T>(name: (typeof STORES)[number]): Promise<Map<string, T>> => {
    const store = db.transaction(name, 'readonly').objectStore(name)
    const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())])
    return new Map(keys.map((k, i) => [String(k), values[i] as T] as const))
  }
  return {
    load: async () => ({
      entries: await readAll<EntryEnvelope>('entries'),
      sigs: await readAll<string>('sigs'),
      declines: await readAll<string>('declines'),
    }),
    add: (contents) =>
      new Promise<void>((resolve, reject) => {
        const tx = db.transaction([...STORES], 'readwrite')
        for (const [id, envelope] of contents.entries) {
          tx.objectStore('entries').put({ body: envelope.body, signer: envelope.signer, sig: envelope.sig }, id)
        }
        for (const [key, sig] of contents.sigs) tx.objectStore('sigs').put(sig, key)
        for (const [key, sig] of contents.declines) tx.objectStore('declines').put(sig, key)
        tx.oncomplete = () => resolve()
        tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'))
      }),
    close: () => db.close(),
  }
}
