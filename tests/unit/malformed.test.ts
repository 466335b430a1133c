import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  addProposal,
  createBoardView,
  isOrderKey,
  META,
  moveProposal,
  newProposalId,
  ORDER_KEY_MAX,
  PROPOSAL,
  readBoard,
  readBoardMeta,
  readProposal,
  readProposalEntry,
  readProposals,
  renameProposal,
  ROOT_META,
  ROOT_PROPOSALS,
  setProposalStatus,
  type ProposalId,
} from '../../shared/src'
import { ALICE, boardWith, copyOf, expectRefused, must, newReplica } from '../helpers/boards'

/**
 * A faulty (or malicious) peer writes whatever it likes straight into the doc; we receive it as
 * an ordinary update. `write` gets the peer's raw collections.
 */
const fromFaultyPeer = (
  base: Y.Doc,
  write: (yProposals: Y.Map<unknown>, yMeta: Y.Map<unknown>) => void,
): Y.Doc => {
  const peer = copyOf(base)
  peer.transact(() => write(peer.getMap(ROOT_PROPOSALS), peer.getMap(ROOT_META)))
  return copyOf(peer)
}

const rawProposal = (fields: Record<string, unknown>): Y.Map<unknown> => {
  const y = new Y.Map<unknown>()
  for (const [key, value] of Object.entries(fields)) y.set(key, value)
  return y
}

describe('[S4] reads never throw on malformed data from a peer', () => {
  it('[S4] a proposal with every field missing reads as defaults and sorts last', () => {
    const { doc: base, ids } = boardWith(['Compost'])
    const bare = newProposalId()
    const doc = fromFaultyPeer(base, (yProposals) => yProposals.set(bare, new Y.Map()))
    const proposals = readProposals(doc)
    expect(proposals.map((p) => p.id)).toEqual([ids[0], bare])
    const p = must(readProposal(doc, bare))
    expect(p).toMatchObject({ id: bare, title: '', status: 'draft', author: null, authorName: '', createdAt: 0 })
    expect(isOrderKey(p.order)).toBe(false)
  })

  it('[S4] wrongly typed proposal fields read as their defaults', () => {
    const { doc: base, ids } = boardWith(['Compost'])
    const odd = [newProposalId(), newProposalId(), newProposalId()]
    const doc = fromFaultyPeer(base, (yProposals) => {
      yProposals.set(
        must(odd[0]),
        rawProposal({
          [PROPOSAL.title]: 42,
          [PROPOSAL.status]: 'approved',
          [PROPOSAL.author]: 'not a member id',
          [PROPOSAL.authorName]: { first: 'Eve' },
          [PROPOSAL.createdAt]: '2024-01-01',
          [PROPOSAL.order]: 'a0',
        }),
      )
      yProposals.set(
        must(odd[1]),
        rawProposal({
          [PROPOSAL.title]: null,
          [PROPOSAL.status]: 3,
          [PROPOSAL.author]: 12345,
          [PROPOSAL.authorName]: ['Eve'],
          [PROPOSAL.createdAt]: Number.POSITIVE_INFINITY,
          [PROPOSAL.order]: 'x'.repeat(ORDER_KEY_MAX + 1),
        }),
      )
      yProposals.set(
        must(odd[2]),
        rawProposal({
          [PROPOSAL.title]: new Uint8Array([1, 2]),
          [PROPOSAL.status]: 'OPEN',
          [PROPOSAL.author]: null,
          [PROPOSAL.authorName]: true,
          [PROPOSAL.createdAt]: Number.NaN,
          [PROPOSAL.order]: '',
        }),
      )
    })
    const proposals = readProposals(doc)
    expect(proposals[0]?.id).toBe(ids[0])
    // The malformed ones sort last, by id ([P3]).
    expect(proposals.slice(1).map((p) => p.id)).toEqual([...odd].sort())
    for (const id of odd) {
      const p = must(readProposal(doc, id))
      expect(p).toMatchObject({ title: '', status: 'draft', author: null, authorName: '', createdAt: 0 })
      expect(isOrderKey(p.order)).toBe(false)
    }
  })

  it('[S4] an entry that is not a proposal at all is skipped', () => {
    const { doc: base, ids } = boardWith(['Compost'])
    const junk = Array.from({ length: 10 }, () => newProposalId())
    const doc = fromFaultyPeer(base, (yProposals) => {
      const [a, b, c, d, e, f, g, h, i, j] = junk.map((id) => must(id))
      yProposals.set(must(a), 'a string')
      yProposals.set(must(b), 17)
      yProposals.set(must(c), null)
      yProposals.set(must(d), { title: 'plain object', status: 'open' })
      yProposals.set(must(e), ['an', 'array'])
      yProposals.set(must(f), new Uint8Array([1, 2, 3]))
      yProposals.set(must(g), new Y.Text('a text'))
      const yArray = new Y.Array<unknown>()
      yArray.insert(0, ['title', 'status'])
      yProposals.set(must(h), yArray)
      yProposals.set(must(i), new Y.Array())
      yProposals.set(must(j), new Y.Doc())
      // A well-formed proposal under a key that is not a proposal id.
      yProposals.set('not-an-id', rawProposal({ [PROPOSAL.title]: 'Hidden', [PROPOSAL.order]: 'V' }))
    })
    expect(readProposals(doc).map((p) => p.id)).toEqual(ids)
    for (const id of junk) expect(readProposal(doc, id as ProposalId)).toBeNull()
    expect(readProposal(doc, 'not-an-id' as ProposalId)).toBeNull()
    expect(readBoard(doc).proposals).toHaveLength(1)
    expect(createBoardView(doc).getSnapshot().proposals).toHaveLength(1)
  })

  it('[S4] readProposalEntry skips anything that is not a Y.Map under a proposal id', () => {
    const id = newProposalId()
    for (const value of [undefined, null, 0, 'x', {}, { get: () => 'title' }, [], new Y.Array(), new Y.Doc()]) {
      expect(readProposalEntry(id, value)).toBeNull()
    }
    expect(readProposalEntry('short', new Y.Map())).toBeNull()
    const doc = newReplica()
    const yProposal = doc.getMap<Y.Map<unknown>>(ROOT_PROPOSALS)
    yProposal.set(id, new Y.Map())
    expect(readProposalEntry(id, yProposal.get(id))).toMatchObject({ id, title: '', status: 'draft' })
  })

  it('[S4] wrongly typed or missing meta fields read as their defaults', () => {
    const cases: ReadonlyArray<readonly [Record<string, unknown>, Partial<ReturnType<typeof readBoardMeta>>]> = [
      [{}, { name: '', schemaVersion: 0, createdAt: 0, access: 'not-initialised' }],
      [{ [META.name]: 7, [META.schemaVersion]: 1, [META.createdAt]: 'yesterday' }, { name: '', createdAt: 0, access: 'writable' }],
      [{ [META.schemaVersion]: '1' }, { schemaVersion: 0, access: 'not-initialised' }],
      [{ [META.schemaVersion]: 1.5 }, { schemaVersion: 0, access: 'not-initialised' }],
      [{ [META.schemaVersion]: -3 }, { schemaVersion: 0, access: 'not-initialised' }],
      [{ [META.schemaVersion]: null, [META.createdAt]: Number.NaN }, { schemaVersion: 0, createdAt: 0 }],
      [{ [META.name]: ['x'], [META.createdAt]: Number.NEGATIVE_INFINITY }, { name: '', createdAt: 0 }],
    ]
    for (const [fields, expected] of cases) {
      const doc = fromFaultyPeer(newReplica(), (_yProposals, yMeta) => {
        for (const [key, value] of Object.entries(fields)) yMeta.set(key, value)
      })
      const meta = readBoardMeta(doc)
      expect(meta).toMatchObject(expected)
      expect(meta.newerVersionNotice).toBeUndefined()
    }
  })

  it('[S4] a missing proposal reads as null', () => {
    const { doc } = boardWith(['Compost'])
    expect(readProposal(doc, newProposalId())).toBeNull()
  })

  it('[S4] ops on a board with malformed entries keep working', () => {
    const { doc: base, ids } = boardWith(['Compost', 'Bees'])
    const junk = newProposalId()
    const unordered = newProposalId()
    const doc = fromFaultyPeer(base, (yProposals) => {
      yProposals.set(junk, 'not a proposal')
      yProposals.set(unordered, rawProposal({ [PROPOSAL.title]: 'Unordered', [PROPOSAL.order]: 42 }))
    })
    const added = addProposal(doc, { title: 'Solar', author: ALICE, authorName: 'Alice', createdAt: 9 })
    expect(readProposals(doc).map((p) => p.id)).toEqual([ids[0], ids[1], added, unordered])
    renameProposal(doc, unordered, 'Now titled')
    setProposalStatus(doc, unordered, 'open')
    moveProposal(doc, unordered, 0)
    expect(readProposals(doc).map((p) => p.id)).toEqual([unordered, ids[0], ids[1], added])
    expect(readProposal(doc, unordered)).toMatchObject({ title: 'Now titled', status: 'open' })
    // An entry that is not a proposal cannot be written to: it does not exist for the ops.
    expectRefused(doc, () => renameProposal(doc, junk as ProposalId, 'x'), 'not-found', 'id')
    expectRefused(doc, () => setProposalStatus(doc, junk as ProposalId, 'open'), 'not-found', 'id')
    expectRefused(doc, () => moveProposal(doc, junk as ProposalId, 0), 'not-found', 'id')
  })
})
