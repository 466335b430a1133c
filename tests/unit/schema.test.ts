import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  addProposal,
  createBoard,
  createBoardView,
  isProposalId,
  LOCAL_ORIGIN,
  META,
  moveProposal,
  observeBoard,
  PROPOSAL,
  PROPOSAL_BODY_ROOT,
  readBoard,
  readBoardMeta,
  readProposal,
  readProposals,
  renameBoard,
  renameProposal,
  RETIRED_KEYS,
  ROOT_META,
  ROOT_PROPOSALS,
  SCHEMA_VERSION,
  setProposalStatus,
  newProposalId,
  yMetaOf,
  yProposalsOf,
} from '../../shared/src'
import { ALICE, BOB, copyOf, expectRefused, newReplica, transactionsDuring } from '../helpers/boards'
import { seededRandom } from '../helpers/prng'

const emptyState = Y.encodeStateAsUpdate(new Y.Doc())

describe('[S1] collections are top-level shared types', () => {
  it('[S1] a fresh doc reads as an empty board without anyone creating the collections', () => {
    const doc = newReplica()
    const board = readBoard(doc)
    expect(board.proposals).toEqual([])
    expect(board.meta.access).toBe('not-initialised')
    expect(Y.encodeStateAsUpdate(doc)).toEqual(emptyState)
  })

  it('[S1] yMetaOf and yProposalsOf are the top-level maps, the same on every call', () => {
    const doc = newReplica()
    expect(yMetaOf(doc)).toBe(doc.getMap(ROOT_META))
    expect(yProposalsOf(doc)).toBe(doc.getMap(ROOT_PROPOSALS))
    expect(yMetaOf(doc)).toBe(yMetaOf(doc))
    expect(Y.encodeStateAsUpdate(doc)).toEqual(emptyState)
  })

  it('[S1] no op writes a collection container: every write lands inside meta or proposals', () => {
    const doc = newReplica()
    const random = seededRandom(7)
    createBoard(doc, { name: 'Garden', createdAt: 1 })
    renameBoard(doc, 'Community garden')
    const a = addProposal(doc, { title: 'Compost', author: ALICE, authorName: 'Alice', createdAt: 2 }, { random })
    const b = addProposal(doc, { title: 'Bees', author: BOB, authorName: 'Bob', createdAt: 3 }, { random })
    renameProposal(doc, a, 'Compost bins')
    setProposalStatus(doc, b, 'open')
    moveProposal(doc, b, 0, { random })

    const { structs } = Y.decodeUpdate(Y.encodeStateAsUpdate(doc))
    for (const struct of structs) {
      if (!(struct instanceof Y.Item)) continue
      // A decoded item's parent is a root name (string) or the id of the type it lives in.
      const parent = struct.parent as unknown
      if (typeof parent !== 'string') continue
      expect([ROOT_META, ROOT_PROPOSALS]).toContain(parent)
      if (parent === ROOT_META) {
        expect(Object.values(META)).toContain(struct.parentSub)
        // Plain values only (an overwritten one is a ContentDeleted): never a nested type.
        expect(struct.content).not.toBeInstanceOf(Y.ContentType)
      } else {
        // Directly under `proposals`: one Y.Map per proposal, keyed by its id; nothing else.
        expect(isProposalId(struct.parentSub)).toBe(true)
        expect(struct.content).toBeInstanceOf(Y.ContentType)
      }
    }
    const fresh = copyOf(doc)
    expect([...fresh.share.keys()].sort()).toEqual([ROOT_META, ROOT_PROPOSALS].sort())
  })

  it('[S1] two replicas that never met merge without losing either side\'s entries', () => {
    const a = newReplica()
    const b = newReplica()
    createBoard(a, { name: 'Garden', createdAt: 1 })
    const fromA = [1, 2].map((i) =>
      addProposal(a, { title: `A${i}`, author: ALICE, authorName: 'Alice', createdAt: i }),
    )
    // b has not even received the board's metadata yet.
    const fromB = [1, 2].map((i) =>
      addProposal(b, { title: `B${i}`, author: BOB, authorName: 'Bob', createdAt: i }),
    )
    const updateA = Y.encodeStateAsUpdate(a)
    const updateB = Y.encodeStateAsUpdate(b)
    const ab = newReplica()
    Y.applyUpdate(ab, updateA)
    Y.applyUpdate(ab, updateB)
    const ba = newReplica()
    Y.applyUpdate(ba, updateB)
    Y.applyUpdate(ba, updateA)
    for (const doc of [ab, ba]) {
      const ids = readProposals(doc).map((p) => p.id)
      expect(ids.sort()).toEqual([...fromA, ...fromB].sort())
      expect(readBoardMeta(doc).name).toBe('Garden')
    }
    expect(readBoard(ab)).toEqual(readBoard(ba))
  })
})

describe('[S3] board metadata is written once, by createBoard', () => {
  it('[S3] createBoard writes the trimmed name, SCHEMA_VERSION and createdAt in one transaction', () => {
    const doc = newReplica()
    const origins = transactionsDuring(doc, () => createBoard(doc, { name: '  Garden  ', createdAt: 42 }))
    expect(origins).toEqual([LOCAL_ORIGIN])
    expect(readBoardMeta(doc)).toEqual({
      name: 'Garden',
      schemaVersion: SCHEMA_VERSION,
      createdAt: 42,
      access: 'writable',
      newerVersionNotice: undefined,
    })
    expect(doc.getMap(ROOT_META).toJSON()).toEqual({
      [META.name]: 'Garden',
      [META.schemaVersion]: SCHEMA_VERSION,
      [META.createdAt]: 42,
    })
  })

  it('[S3] nothing is written on load: reading, observing and viewing a board write nothing', () => {
    const source = newReplica()
    createBoard(source, { name: 'Garden', createdAt: 1 })
    addProposal(source, { title: 'Compost', author: ALICE, authorName: 'Alice', createdAt: 2 })
    for (const doc of [newReplica(), copyOf(source)]) {
      const before = Y.encodeStateAsUpdate(doc)
      let updates = 0
      doc.on('update', () => updates++)
      readBoard(doc)
      readBoardMeta(doc)
      readProposals(doc)
      readProposal(doc, newProposalId())
      const unobserve = observeBoard(doc, () => {})
      const view = createBoardView(doc)
      const unsubscribe = view.subscribe(() => {})
      view.getSnapshot()
      unsubscribe()
      view.destroy()
      unobserve()
      expect(updates).toBe(0)
      expect(Y.encodeStateAsUpdate(doc)).toEqual(before)
    }
  })

  it('[S3] creating a board on a doc that already has metadata is refused, writing nothing', () => {
    const doc = newReplica()
    createBoard(doc, { name: 'Garden', createdAt: 1 })
    expectRefused(doc, () => createBoard(doc, { name: 'Other', createdAt: 2 }), 'invalid-input', 'board')
    // Also when the metadata came from a peer.
    const peer = copyOf(doc)
    expectRefused(peer, () => createBoard(peer, { name: 'Other', createdAt: 2 }), 'invalid-input', 'board')
    expect(readBoardMeta(peer).name).toBe('Garden')
  })
})

describe('[S5] the schema only grows', () => {
  it('[S5] the key names of schema version 1 are unchanged', () => {
    expect(ROOT_META).toBe('meta')
    expect(ROOT_PROPOSALS).toBe('proposals')
    expect(PROPOSAL_BODY_ROOT).toBe('root')
    // `creator` was added in schema version 3; the names of version 1 stay as they were.
    expect(META).toEqual({ name: 'name', schemaVersion: 'schemaVersion', createdAt: 'createdAt', creator: 'creator' })
    expect(PROPOSAL).toEqual({
      id: 'id',
      title: 'title',
      status: 'status',
      author: 'author',
      authorName: 'authorName',
      createdAt: 'createdAt',
      order: 'order',
    })
  })

  it('[S5] no retired key is in use again, and field names are unique per collection', () => {
    const inUse = [ROOT_META, ROOT_PROPOSALS, PROPOSAL_BODY_ROOT, ...Object.values(META), ...Object.values(PROPOSAL)]
    for (const retired of RETIRED_KEYS) expect(inUse).not.toContain(retired)
    expect(new Set(RETIRED_KEYS).size).toBe(RETIRED_KEYS.length)
    expect(new Set(Object.values(META)).size).toBe(Object.values(META).length)
    expect(new Set(Object.values(PROPOSAL)).size).toBe(Object.values(PROPOSAL).length)
  })

  it('[S5] SCHEMA_VERSION is a positive integer', () => {
    expect(Number.isSafeInteger(SCHEMA_VERSION) && SCHEMA_VERSION >= 1).toBe(true)
  })
})
