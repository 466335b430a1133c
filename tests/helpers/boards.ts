import { expect } from 'vitest'
import * as Y from 'yjs'
import {
  addProposal,
  createBoard,
  PeerboardError,
  type MemberId,
  type PeerboardErrorCode,
  type ProposalId,
} from '../../shared/src'
import { seededRandom } from './prng'

/** Member ids for tests: valid (22 base64url characters) and easy to recognise. */
export const ALICE = 'AliceAliceAliceAlice01' as MemberId
export const BOB = 'BobBobBobBobBobBobBob1' as MemberId

/** A replica: a fresh doc, with a fixed client id when given (so encodings are reproducible). */
export const newReplica = (clientID?: number): Y.Doc => {
  const doc = new Y.Doc()
  if (clientID !== undefined) doc.clientID = clientID
  return doc
}

/** Brings every doc up to date with every other (full state exchange, both ways). */
export const syncAll = (...docs: Y.Doc[]): void => {
  const updates = docs.map((doc) => Y.encodeStateAsUpdate(doc))
  for (const doc of docs) for (const update of updates) Y.applyUpdate(doc, update)
}

/** A copy of `doc` in a new replica. */
export const copyOf = (doc: Y.Doc, clientID?: number): Y.Doc => {
  const copy = newReplica(clientID)
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  return copy
}

/** A board with `titles.length` proposals added in order; returns the doc and their ids. */
export const boardWith = (
  titles: readonly string[],
  seed = 1,
): { readonly doc: Y.Doc; readonly ids: ProposalId[] } => {
  const doc = newReplica()
  createBoard(doc, { name: 'Test board', createdAt: 1_000 })
  const random = seededRandom(seed)
  const ids = titles.map((title, i) =>
    addProposal(doc, { title, author: ALICE, authorName: 'Alice', createdAt: 2_000 + i }, { random }),
  )
  return { doc, ids }
}

/** The value, failing the test if it is null or undefined. */
export const must = <T>(value: T | null | undefined, what = 'value'): T => {
  if (value === null || value === undefined) throw new Error(`expected ${what} to be present`)
  return value
}

/**
 * Runs `write`, expecting a PeerboardError with `code` (and `field`, when given), and checks that
 * the doc is byte-for-byte what it was and that no update was emitted: nothing was written.
 */
export const expectRefused = (
  doc: Y.Doc,
  write: () => unknown,
  code: PeerboardErrorCode,
  field?: string,
): PeerboardError => {
  const before = Y.encodeStateAsUpdate(doc)
  let updates = 0
  const onUpdate = (): void => {
    updates++
  }
  doc.on('update', onUpdate)
  let caught: unknown
  try {
    write()
  } catch (error) {
    caught = error
  } finally {
    doc.off('update', onUpdate)
  }
  expect(caught).toBeInstanceOf(PeerboardError)
  const error = caught as PeerboardError
  expect(error.code).toBe(code)
  if (field !== undefined) expect(error.field).toBe(field)
  expect(error.message.length).toBeGreaterThan(0)
  expect(updates).toBe(0)
  expect(Y.encodeStateAsUpdate(doc)).toEqual(before)
  return error
}

/** Counts the transactions `doc` makes while `write` runs, with their origins. */
export const transactionsDuring = (doc: Y.Doc, write: () => void): unknown[] => {
  const origins: unknown[] = []
  const onTransaction = (transaction: Y.Transaction): void => {
    origins.push(transaction.origin)
  }
  doc.on('afterTransaction', onTransaction)
  try {
    write()
  } finally {
    doc.off('afterTransaction', onTransaction)
  }
  return origins
}
