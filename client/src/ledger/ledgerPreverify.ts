import {
  defaultLedgerVerifier,
  emptyLedgerStoreContents,
  preverifySignatures,
  readPendingLedgerChecks,
  type LedgerStoreContents,
} from '../../../shared/src'
import type { DocSession } from '../collab/DocSession'
import { openLedgerStore } from '../collab/ledgerStore'
import { webCryptoEd25519 } from './webCryptoEd25519'

type LedgerDoc = DocSession['doc']

/**
 * Below this many unchecked signatures the rules verify them on the spot; a native batch would
 * only add a round trip through WebCrypto.
 */
export const NATIVE_BATCH_MIN = 16

const native = webCryptoEd25519()
const passes = new WeakMap<LedgerDoc, Promise<void>>()
const verifiedStores = new WeakMap<LedgerDoc, Promise<LedgerStoreContents>>()

/**
 * What this device verified in earlier sessions (its local verified store, SPEC [G17]), read once
 * per doc and given to the verifier, so that reopening a ledger checks only what is new ([G12]).
 * An unavailable store reads as empty: everything is then verified again.
 */
export const loadVerifiedStore = (session: DocSession): Promise<LedgerStoreContents> => {
  let loaded = verifiedStores.get(session.doc)
  if (loaded === undefined) {
    loaded = openLedgerStore(session.room)
      .then(async (store) => {
        try {
          return await store.load()
        } finally {
          store.close()
        }
      })
      .catch((error: unknown) => {
        console.warn('The local ledger store is unavailable:', error)
        return emptyLedgerStoreContents()
      })
      .then((contents) => {
        defaultLedgerVerifier.trust(contents)
        return contents
      })
    verifiedStores.set(session.doc, loaded)
  }
  return loaded
}

/** True when the ledger doc may hold enough unchecked signatures to pre-verify them natively first. */
export const needsPreverify = (doc: LedgerDoc): boolean => readPendingLedgerChecks(doc).length >= NATIVE_BATCH_MIN

/**
 * Pre-verifies with WebCrypto what the ledger doc holds that this device has not checked (SPEC
 * [G12], [G18]), once its verified store is loaded, so that the next read finds it accepted instead
 * of verifying it on the main thread. Passes over one doc run one after another; each covers what
 * the doc holds when it starts. Never rejects.
 */
export const preverifyLedger = (session: DocSession): Promise<void> => {
  const { doc } = session
  const next = (passes.get(doc) ?? Promise.resolve()).then(async () => {
    await loadVerifiedStore(session)
    const checks = readPendingLedgerChecks(doc)
    if (checks.length >= NATIVE_BATCH_MIN) await preverifySignatures(checks, native)
  })
  const settled = next.catch((error: unknown) => console.warn('Native signature checks failed:', error))
  passes.set(doc, settled)
  return settled
}
