import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  buildEmptyBodySeed,
  EMPTY_BODY_SEED,
  newBoardId,
  newProposalId,
  parseRoomName,
  PROPOSAL_BODY_ROOT,
  proposalBodyRoom,
  SEED_CLIENT_ID,
  SEED_ORIGIN,
  seedProposalBody,
} from '../../shared/src'
import { must, newReplica, syncAll } from '../helpers/boards'
import { seededRandom, shuffled } from '../helpers/prng'

/** The frozen seed, copied here so that a change to the constant in shared/ fails this test. */
const FROZEN_SEED = [
  1, 2, 1, 0, 7, 1, 4, 114, 111, 111, 116, 6, 40, 0, 1, 0, 6, 95, 95, 116, 121, 112, 101, 1, 119, 9, 112, 97,
  114, 97, 103, 114, 97, 112, 104, 0,
]

const rootOf = (doc: Y.Doc): Y.XmlText => doc.get(PROPOSAL_BODY_ROOT, Y.XmlText)

/** The body's top-level delta: one `{ insert: Y.XmlText }` per paragraph. */
const paragraphsOf = (doc: Y.Doc): Y.XmlText[] =>
  rootOf(doc)
    .toDelta()
    .map((op: { insert: unknown }) => op.insert)
    .filter((insert: unknown): insert is Y.XmlText => insert instanceof Y.XmlText)

describe('[B1] proposal bodies', () => {
  it('[B1] EMPTY_BODY_SEED equals buildEmptyBodySeed() and the frozen bytes (known answer)', () => {
    expect([...EMPTY_BODY_SEED]).toEqual(FROZEN_SEED)
    expect(buildEmptyBodySeed()).toEqual(EMPTY_BODY_SEED)
  })

  it('[B1] the seed is one paragraph written by client id 1 into the top-level XmlText root', () => {
    expect(PROPOSAL_BODY_ROOT).toBe('root')
    expect(SEED_CLIENT_ID).toBe(1)
    const { structs, ds } = Y.decodeUpdate(EMPTY_BODY_SEED)
    expect(structs.map((s) => [s.id.client, s.id.clock, s.length])).toEqual([
      [1, 0, 1],
      [1, 1, 1],
    ])
    expect(ds.clients.size).toBe(0)
    const doc = newReplica()
    seedProposalBody(doc)
    const paragraphs = paragraphsOf(doc)
    expect(paragraphs).toHaveLength(1)
    expect(rootOf(doc).toDelta()).toHaveLength(1)
    expect(must(paragraphs[0]).getAttribute('__type')).toBe('paragraph')
    expect(must(paragraphs[0]).toString()).toBe('')
  })

  it('[B1] applying the seed N times on M replicas and merging gives exactly one paragraph', () => {
    const random = seededRandom(21)
    for (const replicas of [1, 2, 3, 5]) {
      for (const times of [1, 2, 4]) {
        const docs = Array.from({ length: replicas }, () => newReplica())
        for (const doc of docs) for (let i = 0; i < times; i++) seedProposalBody(doc)
        // Merge in a random order, some updates twice.
        const updates = docs.map((doc) => Y.encodeStateAsUpdate(doc))
        for (const doc of docs) {
          for (const update of shuffled(random, [...updates, ...updates.slice(0, 1)])) Y.applyUpdate(doc, update)
          seedProposalBody(doc)
        }
        for (const doc of docs) {
          expect(rootOf(doc).toDelta()).toHaveLength(1)
          expect(paragraphsOf(doc)).toHaveLength(1)
          expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(must(docs[0])))
        }
      }
    }
  })

  it('[B1] seeding before or after sync keeps one paragraph with everyone\'s text', () => {
    const a = newReplica()
    seedProposalBody(a)
    must(paragraphsOf(a)[0]).insert(0, 'Hello')

    const b = newReplica() // syncs first, seeds after
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    seedProposalBody(b)
    must(paragraphsOf(b)[0]).insert(5, ' world')

    const c = newReplica() // seeds first, offline, then syncs
    seedProposalBody(c)
    seedProposalBody(c)

    syncAll(a, b, c)
    for (const doc of [a, b, c]) {
      expect(paragraphsOf(doc)).toHaveLength(1)
      expect(must(paragraphsOf(doc)[0]).toString()).toBe('Hello world')
    }
  })

  it('[B1] a seeded body is not seeded again once the paragraph is edited or removed', () => {
    const a = newReplica()
    seedProposalBody(a)
    rootOf(a).delete(0, 1) // someone deleted the paragraph
    const b = newReplica()
    seedProposalBody(b)
    syncAll(a, b)
    seedProposalBody(a)
    seedProposalBody(b)
    // The seed has a fixed identity, so its deletion sticks instead of it reappearing.
    expect(rootOf(a).toDelta()).toEqual([])
    expect(rootOf(b).toDelta()).toEqual([])
  })

  it('[B1] the seed is applied with SEED_ORIGIN, not as a local edit', () => {
    const doc = newReplica()
    const origins: unknown[] = []
    doc.on('afterTransaction', (transaction: Y.Transaction) => origins.push(transaction.origin))
    seedProposalBody(doc)
    expect(origins).toEqual([SEED_ORIGIN])
  })

  it('[B1] a body lives in its own room, <boardId>.p.<proposalId>', () => {
    const boardId = newBoardId()
    const proposalId = newProposalId()
    const room = proposalBodyRoom(boardId, proposalId)
    expect(room).toBe(`${boardId}.p.${proposalId}`)
    expect(parseRoomName(room)).toEqual({ kind: 'proposal-body', boardId, proposalId })
  })
})
