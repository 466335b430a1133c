import { IndexeddbPersistence } from 'y-indexeddb'
import * as Y from 'yjs'
import {
  createLedgerVerifier,
  emptyLedgerStoreContents,
  keyringFromMembers,
  preverifySignatures,
  readBoard,
  readLedger,
  readNewlyVerified,
  readPendingLedgerChecks,
  readThreads,
  ROOT_LEDGER_ENTRIES,
  type LedgerId,
  type MemberId,
} from '../../shared/src'
import { openLedgerStore } from '../../client/src/collab/ledgerStore'
import { webCryptoEd25519 } from '../../client/src/ledger/webCryptoEd25519'

/**
 * The W5 board-open page. The benchmark calls these from Playwright, each in a fresh page:
 * - benchSeed(name): stores /board.bin and /ledger.bin in IndexedDB as y-indexeddb does (one row
 *   each, as the app keeps a board and its ledger in two docs), reads them back, and keeps what
 *   verifies in the ledger's local verified store, as the app does the first time it opens it;
 * - benchOpen(name, reopen): opens both from IndexedDB into new Y.Docs, reads the board and its
 *   threads, and reads the ledger the way the app does: (reopen: the local verified store loaded
 *   and trusted), a WebCrypto pass over every signature still unchecked, then the rules' read,
 *   which checks every entry (form, chain; hash and signature unless verified before) and derives
 *   balances;
 * - benchFloor(): Y.applyUpdate of /board.bin and /ledger.bin (fetched before the clock starts).
 */
interface LedgerSetup {
  readonly ledger: LedgerId
  readonly members: readonly { readonly id: MemberId; readonly devices: readonly string[] }[]
}

declare global {
  interface Window {
    benchSeed(name: string): Promise<number>
    benchOpen(
      name: string,
      reopen: boolean,
    ): Promise<{
      loadMs: number
      readMs: number
      ledgerMs: number
      proposals: number
      threads: number
      confirmed: number
      nativeAccepted: number
    }>
    benchFloor(): Promise<{ ms: number; proposals: number; entries: number }>
  }
}

const fetchBytes = async (path: string): Promise<Uint8Array> => new Uint8Array(await (await fetch(path)).arrayBuffer())
const fetchSetup = async (): Promise<LedgerSetup> => (await (await fetch('/ledger.json')).json()) as LedgerSetup

const store = async (name: string, state: Uint8Array): Promise<Y.Doc> => {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, state)
  const persistence = new IndexeddbPersistence(name, doc)
  await persistence.whenSynced
  await persistence.destroy()
  // Read it back: IndexedDB orders this read after the write, so the row is committed before the
  // page goes away (closing a page aborts a transaction still in flight).
  const check = new Y.Doc()
  const reader = new IndexeddbPersistence(name, check)
  await reader.whenSynced
  await reader.destroy()
  return check
}

window.benchSeed = async (name) => {
  const setup = await fetchSetup()
  const ledgerDoc = await store(`${name}.ledger`, await fetchBytes('/ledger.bin'))
  const verifier = createLedgerVerifier()
  await preverifySignatures(readPendingLedgerChecks(ledgerDoc, verifier), webCryptoEd25519())
  const verifiedStore = await openLedgerStore(`${name}.ledger`)
  await verifiedStore.add(readNewlyVerified(ledgerDoc, setup.ledger, emptyLedgerStoreContents(), verifier))
  verifiedStore.close()
  return readBoard(await store(name, await fetchBytes('/board.bin'))).proposals.length
}

window.benchOpen = async (name, reopen) => {
  const setup = await fetchSetup()
  const started = performance.now()
  const doc = new Y.Doc()
  const ledgerDoc = new Y.Doc()
  const persistence = new IndexeddbPersistence(name, doc)
  const ledgerPersistence = new IndexeddbPersistence(`${name}.ledger`, ledgerDoc)
  // As the ledger page does, the verified store is read while the docs load.
  const verifiedStore = reopen
    ? openLedgerStore(`${name}.ledger`).then(async (store) => {
        const contents = await store.load()
        store.close()
        return contents
      })
    : null
  await Promise.all([persistence.whenSynced, ledgerPersistence.whenSynced])
  const loaded = performance.now()
  const board = readBoard(doc)
  const threads = readThreads(doc)
  const read = performance.now()
  const verifier = createLedgerVerifier()
  if (verifiedStore !== null) verifier.trust(await verifiedStore)
  const pass = await preverifySignatures(readPendingLedgerChecks(ledgerDoc, verifier), webCryptoEd25519())
  const ledger = readLedger(ledgerDoc, setup.ledger, keyringFromMembers(setup.members), verifier)
  const ledgerRead = performance.now()
  await Promise.all([persistence.destroy(), ledgerPersistence.destroy()])
  return {
    loadMs: loaded - started,
    readMs: read - loaded,
    ledgerMs: ledgerRead - read,
    proposals: board.proposals.length,
    threads: threads.length,
    confirmed: ledger.entries.filter((e) => e.status === 'confirmed').length,
    nativeAccepted: pass.accepted,
  }
}

window.benchFloor = async () => {
  const [state, ledgerState] = await Promise.all([fetchBytes('/board.bin'), fetchBytes('/ledger.bin')])
  const started = performance.now()
  const doc = new Y.Doc()
  Y.applyUpdate(doc, state)
  const ledgerDoc = new Y.Doc()
  Y.applyUpdate(ledgerDoc, ledgerState)
  const ms = performance.now() - started
  return { ms, proposals: readBoard(doc).proposals.length, entries: ledgerDoc.getMap(ROOT_LEDGER_ENTRIES).size }
}
