import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  addProposal,
  assertWritable,
  createBoard,
  META,
  moveProposal,
  PeerboardError,
  readBoard,
  readBoardMeta,
  readProposals,
  renameBoard,
  renameProposal,
  ROOT_META,
  SCHEMA_VERSION,
  setProposalStatus,
  type ProposalId,
} from '../../shared/src'
import { ALICE, boardWith, copyOf, expectRefused, must, newReplica } from '../helpers/boards'

/**
 * A board that a newer Peerboard migrated: it synced a v1 board, then wrote a higher schema
 * version (and, say, a field this code does not know). We receive that as an ordinary update.
 */
const newerSchemaBoard = (): { doc: Y.Doc; ids: ProposalId[] } => {
  const { doc: original, ids } = boardWith(['Compost', 'Bees', 'Solar'])
  const newer = copyOf(original)
  newer.transact(() => {
    newer.getMap(ROOT_META).set(META.schemaVersion, SCHEMA_VERSION + 1)
    newer.getMap(ROOT_META).set('someFutureField', { any: 'thing' })
  })
  return { doc: copyOf(newer), ids }
}

describe('[S2] a board with a newer schema is read-only', () => {
  it('[S2] reads report newer-schema with a reason for people, and still read the content', () => {
    const { doc, ids } = newerSchemaBoard()
    const meta = readBoardMeta(doc)
    expect(meta.access).toBe('newer-schema')
    expect(meta.schemaVersion).toBe(SCHEMA_VERSION + 1)
    expect(meta.name).toBe('Test board')
    expect(meta.readOnlyReason).toMatch(/newer version/)
    expect(meta.readOnlyReason).toContain(String(SCHEMA_VERSION + 1))
    expect(readProposals(doc).map((p) => p.id)).toEqual(ids)
    expect(readBoard(doc).meta).toEqual(meta)
  })

  const ops: ReadonlyArray<readonly [string, (doc: Y.Doc, id: ProposalId) => unknown]> = [
    ['createBoard', (doc) => createBoard(doc, { name: 'Another', createdAt: 5 })],
    ['renameBoard', (doc) => renameBoard(doc, 'Renamed')],
    ['addProposal', (doc) => addProposal(doc, { title: 'New', author: ALICE, authorName: 'Alice', createdAt: 5 })],
    ['renameProposal', (doc, id) => renameProposal(doc, id, 'Renamed')],
    ['setProposalStatus', (doc, id) => setProposalStatus(doc, id, 'open')],
    ['moveProposal', (doc, id) => moveProposal(doc, id, 2)],
    ['assertWritable', (doc) => assertWritable(doc)],
  ]

  it.each(ops)('[S2] %s refuses with a read-only error and writes nothing', (_name, op) => {
    const { doc, ids } = newerSchemaBoard()
    const error = expectRefused(doc, () => op(doc, must(ids[0])), 'read-only')
    expect(error.message).toBe(readBoardMeta(doc).readOnlyReason)
  })

  it('[S2] read-only wins over invalid input: the refusal names the real reason', () => {
    const { doc } = newerSchemaBoard()
    expectRefused(doc, () => renameBoard(doc, ''), 'read-only')
    expectRefused(doc, () => createBoard(doc, { name: '', createdAt: -1 }), 'read-only')
    expectRefused(
      doc,
      () => addProposal(doc, { title: '', author: ALICE, authorName: 'Alice', createdAt: 1 }),
      'read-only',
    )
  })

  it('[S2] a board becomes read-only as soon as the newer version arrives', () => {
    const { doc, ids } = boardWith(['Compost'])
    const newer = copyOf(doc)
    newer.getMap(ROOT_META).set(META.schemaVersion, SCHEMA_VERSION + 1)
    renameProposal(doc, must(ids[0]), 'Compost bins')
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(newer))
    expect(readBoardMeta(doc).access).toBe('newer-schema')
    expectRefused(doc, () => renameProposal(doc, must(ids[0]), 'Compost heap'), 'read-only')
    // The edit made before the upgrade arrived is kept.
    expect(readProposals(doc)[0]?.title).toBe('Compost bins')
  })

  it('[S2] a board at exactly SCHEMA_VERSION is writable', () => {
    const { doc, ids } = boardWith(['Compost'])
    expect(readBoardMeta(doc).access).toBe('writable')
    expect(readBoardMeta(doc).readOnlyReason).toBeUndefined()
    expect(() => assertWritable(doc)).not.toThrow()
    renameProposal(doc, must(ids[0]), 'Compost bins')
    expect(readProposals(doc)[0]?.title).toBe('Compost bins')
  })

  it('[S2] a board whose metadata has not arrived yet is not read-only', () => {
    const doc = newReplica()
    expect(readBoardMeta(doc).access).toBe('not-initialised')
    expect(() => assertWritable(doc)).not.toThrow()
    const id = addProposal(doc, { title: 'Early', author: ALICE, authorName: 'Alice', createdAt: 1 })
    expect(readProposals(doc).map((p) => p.id)).toEqual([id])
  })

  it('[S2] the refusal is a PeerboardError with code read-only', () => {
    const { doc } = newerSchemaBoard()
    try {
      assertWritable(doc)
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(PeerboardError)
      expect((error as PeerboardError).code).toBe('read-only')
    }
  })
})
