import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  addProposal,
  META,
  readBoard,
  readBoardMeta,
  readProposals,
  renameBoard,
  renameProposal,
  ROOT_META,
  SCHEMA_VERSION,
  type ProposalId,
} from '../../shared/src'
import { ALICE, boardWith, copyOf, must, newReplica } from '../helpers/boards'

/**
 * A board a newer Peerboard has written to (SPEC [S2]): it raised the schema version and added a
 * field this code does not know. That version number is an unsigned value any writer can set, so it
 * only adds a notice: the board stays writable on every device, and unknown fields are left alone.
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

describe('[S2] a board written by a newer version', () => {
  it('[S2] reads carry a notice for people, and still read everything this code knows', () => {
    const { doc, ids } = newerSchemaBoard()
    const meta = readBoardMeta(doc)
    expect(meta.access).toBe('writable')
    expect(meta.schemaVersion).toBe(SCHEMA_VERSION + 1)
    expect(meta.newerVersionNotice).toMatch(/newer version/)
    expect(meta.newerVersionNotice).toContain(String(SCHEMA_VERSION + 1))
    expect(readProposals(doc).map((p) => p.id)).toEqual(ids)
    expect(readBoard(doc).meta).toEqual(meta)
  })

  it('[S2] one unsigned write of a huge version freezes nothing: every op still works', () => {
    const { doc, ids } = boardWith(['Compost'])
    const mallory = copyOf(doc)
    mallory.getMap(ROOT_META).set(META.schemaVersion, 99)
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(mallory))
    renameProposal(doc, must(ids[0]), 'Compost bins')
    renameBoard(doc, 'Allotment')
    const added = addProposal(doc, { title: 'Bees', author: ALICE, authorName: 'Alice', createdAt: 5 })
    expect(readProposals(doc).map((p) => p.title)).toEqual(['Compost bins', 'Bees'])
    expect(readProposals(doc).map((p) => p.id)).toContain(added)
    expect(readBoardMeta(doc).name).toBe('Allotment')
  })

  it('[S2] fields this code does not know are left as they are', () => {
    const { doc, ids } = newerSchemaBoard()
    renameProposal(doc, must(ids[0]), 'Compost bins')
    expect(doc.getMap(ROOT_META).get('someFutureField')).toEqual({ any: 'thing' })
    expect(doc.getMap(ROOT_META).get(META.schemaVersion)).toBe(SCHEMA_VERSION + 1)
  })

  it('[S2] a board at exactly SCHEMA_VERSION has no notice', () => {
    const { doc } = boardWith(['Compost'])
    expect(readBoardMeta(doc)).toMatchObject({ access: 'writable', newerVersionNotice: undefined })
  })

  it('[S2] a board whose metadata has not arrived yet is not-initialised, and writable', () => {
    const doc = newReplica()
    expect(readBoardMeta(doc).access).toBe('not-initialised')
    const id = addProposal(doc, { title: 'Early', author: ALICE, authorName: 'Alice', createdAt: 1 })
    expect(readProposals(doc).map((p) => p.id)).toEqual([id])
  })
})
