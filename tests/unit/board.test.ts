import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  addProposal,
  createBoard,
  LOCAL_ORIGIN,
  moveProposal,
  readBoard,
  readBoardMeta,
  readProposals,
  renameBoard,
  renameProposal,
  SCHEMA_VERSION,
  setProposalStatus,
} from '../../shared/src'
import { ALICE, boardWith, copyOf, must, newReplica, syncAll, transactionsDuring } from '../helpers/boards'

describe('createBoard, renameBoard, readBoardMeta, readBoard', () => {
  it('[S3] readBoardMeta reads what createBoard wrote, as a frozen value', () => {
    const doc = newReplica()
    createBoard(doc, { name: 'Allotment committee', createdAt: 1_700_000_000_000 })
    const meta = readBoardMeta(doc)
    expect(meta).toEqual({
      name: 'Allotment committee',
      schemaVersion: SCHEMA_VERSION,
      createdAt: 1_700_000_000_000,
      access: 'writable',
      newerVersionNotice: undefined,
    })
    expect(Object.isFrozen(meta)).toBe(true)
  })

  it('[V1] renameBoard writes the trimmed name in one transaction', () => {
    const { doc } = boardWith([])
    expect(transactionsDuring(doc, () => renameBoard(doc, '  Garden club  '))).toEqual([LOCAL_ORIGIN])
    expect(readBoardMeta(doc)).toMatchObject({ name: 'Garden club', createdAt: 1_000, access: 'writable' })
  })

  it('[P2] concurrent board renames converge on every replica', () => {
    const { doc: a } = boardWith([])
    const b = copyOf(a)
    renameBoard(a, 'Name A')
    renameBoard(b, 'Name B')
    syncAll(a, b)
    expect(['Name A', 'Name B']).toContain(readBoardMeta(a).name)
    expect(readBoardMeta(b)).toEqual(readBoardMeta(a))
  })

  it('renaming the board to the name it has writes nothing (it would undo a concurrent rename)', () => {
    const { doc } = boardWith([])
    const before = Y.encodeStateAsUpdate(doc)
    expect(transactionsDuring(doc, () => renameBoard(doc, '  Test board '))).toEqual([])
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before)
    // a renames for real while b "renames" to the current name: a's rename must survive, whichever
    // client id would win a tie.
    for (const [idA, idB] of [
      [10, 20],
      [20, 10],
    ] as const) {
      const a = copyOf(doc, idA)
      const b = copyOf(doc, idB)
      renameBoard(a, 'Garden club')
      renameBoard(b, 'Test board')
      syncAll(a, b)
      expect(readBoardMeta(a).name).toBe('Garden club')
      expect(readBoardMeta(b).name).toBe('Garden club')
    }
  })

  it('readBoard is a frozen snapshot of the metadata and the proposals in order', () => {
    const { doc, ids } = boardWith(['One', 'Two'])
    const board = readBoard(doc)
    expect(board).toEqual({ meta: readBoardMeta(doc), proposals: readProposals(doc) })
    expect(board.proposals.map((p) => p.id)).toEqual(ids)
    expect(Object.isFrozen(board)).toBe(true)
    expect(Object.isFrozen(board.proposals)).toBe(true)
    expect(Object.isFrozen(board.meta)).toBe(true)
  })

  it('every op writes in exactly one transaction, with LOCAL_ORIGIN', () => {
    const doc = newReplica()
    const writes: Array<() => void> = [
      () => createBoard(doc, { name: 'Garden', createdAt: 1 }),
      () => renameBoard(doc, 'Garden club'),
      () => void addProposal(doc, { title: 'One', author: ALICE, authorName: 'Alice', createdAt: 2 }),
      () => void addProposal(doc, { title: 'Two', author: ALICE, authorName: 'Alice', createdAt: 3 }),
      () => renameProposal(doc, must(readProposals(doc)[0]).id, 'First'),
      () => setProposalStatus(doc, must(readProposals(doc)[0]).id, 'open'),
      () => moveProposal(doc, must(readProposals(doc)[0]).id, 1),
    ]
    for (const write of writes) expect(transactionsDuring(doc, write)).toEqual([LOCAL_ORIGIN])
    const update = Y.encodeStateAsUpdate(doc)
    expect(update.length).toBeGreaterThan(0)
  })
})
