import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  addProposal,
  isOrderKey,
  LOCAL_ORIGIN,
  moveProposal,
  newProposalId,
  PROPOSAL,
  readProposal,
  readProposals,
  ROOT_PROPOSALS,
  type ProposalId,
} from '../../shared/src'
import { ALICE, boardWith, copyOf, expectRefused, must, syncAll, transactionsDuring } from '../helpers/boards'
import { seededRandom } from '../helpers/prng'

const order = (doc: Y.Doc): ProposalId[] => readProposals(doc).map((p) => p.id)
const keys = (doc: Y.Doc): Map<ProposalId, string> => new Map(readProposals(doc).map((p) => [p.id, p.order]))

/** `ids` with the one at `from` moved to `to`. */
const moved = <T>(ids: readonly T[], from: number, to: number): T[] => {
  const out = [...ids]
  const [item] = out.splice(from, 1)
  out.splice(to, 0, item as T)
  return out
}

/** Writes an extra proposal straight into the doc, as a peer could, with the given order value. */
const addRaw = (doc: Y.Doc, orderValue: unknown, id: ProposalId = newProposalId()): ProposalId => {
  const y = new Y.Map<unknown>()
  doc.getMap<Y.Map<unknown>>(ROOT_PROPOSALS).set(id, y)
  y.set(PROPOSAL.title, `raw ${String(orderValue)}`)
  if (orderValue !== undefined) y.set(PROPOSAL.order, orderValue)
  return id
}

describe('[P4] moveProposal', () => {
  it('[P4] puts the proposal at index i, rewriting only its own key, for every (from, to)', () => {
    const { doc: base, ids } = boardWith(['A', 'B', 'C', 'D', 'E'])
    for (let from = 0; from < ids.length; from++) {
      for (let to = 0; to < ids.length; to++) {
        const doc = copyOf(base)
        const id = must(ids[from])
        const before = keys(doc)
        const origins = transactionsDuring(doc, () => moveProposal(doc, id, to, { random: seededRandom(from * 7 + to) }))
        expect(order(doc)).toEqual(moved(ids, from, to))
        expect(origins).toEqual(from === to ? [] : [LOCAL_ORIGIN])
        const after = keys(doc)
        for (const other of ids) if (other !== id) expect(after.get(other)).toBe(before.get(other))
        expect(isOrderKey(after.get(id))).toBe(true)
      }
    }
  })

  it('[P4] moving a proposal to the index it has writes nothing', () => {
    const { doc, ids } = boardWith(['A', 'B', 'C'])
    const before = Y.encodeStateAsUpdate(doc)
    moveProposal(doc, must(ids[1]), 1)
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before)
  })

  it('[P4] neighbours that share a key are re-keyed in the same transaction', () => {
    const { doc: origin, ids } = boardWith(['A', 'Z'])
    // Two replicas add in the same gap with the same random digits: equal keys, ordered by id.
    const a = copyOf(origin)
    const b = copyOf(origin)
    const input = { title: 'Tied', author: ALICE, authorName: 'Alice', createdAt: 1 }
    const fromA = addProposal(a, input, { random: seededRandom(11) })
    const fromB = addProposal(b, input, { random: seededRandom(11) })
    syncAll(a, b)
    const tied = [fromA, fromB].sort()
    expect(readProposal(a, fromA)?.order).toBe(readProposal(a, fromB)?.order)
    expect(order(a)).toEqual([ids[0], ids[1], ...tied])

    // Move A between the two tied proposals.
    const id = must(ids[0])
    const origins = transactionsDuring(a, () => moveProposal(a, id, 2, { random: seededRandom(1) }))
    expect(origins).toEqual([LOCAL_ORIGIN])
    expect(order(a)).toEqual([ids[1], tied[0], id, tied[1]])
    const after = readProposals(a).map((p) => p.order)
    expect(new Set(after).size).toBe(after.length)
    expect([...after].sort()).toEqual(after)
    // B's key and the upper tied neighbour's key are untouched; only the lower one moved along.
    expect(readProposal(a, must(ids[1]))?.order).toBe(readProposal(origin, must(ids[1]))?.order)
    expect(readProposal(a, must(tied[0]))?.order).toBe(readProposal(b, must(tied[0]))?.order)
  })

  it('[P4] moving into the middle of a tie re-keys only the lower part of the tie', () => {
    const { doc, ids } = boardWith(['A'])
    const x = addRaw(doc, 'k')
    const y = addRaw(doc, 'k')
    const tied = [x, y].sort()
    expect(order(doc)).toEqual([ids[0], ...tied])
    moveProposal(doc, must(ids[0]), 1)
    expect(order(doc)).toEqual([tied[0], ids[0], tied[1]])
    // The upper one of the tie keeps its key; the lower one moves along below the moved proposal.
    expect(readProposal(doc, must(tied[0]))?.order).toBe('k')
    expect(readProposal(doc, must(tied[1]))?.order).not.toBe('k')
  })

  it('[P4] neighbours that lack a valid key are re-keyed in the same transaction', () => {
    const { doc, ids } = boardWith(['A', 'B'])
    const bad = [addRaw(doc, undefined), addRaw(doc, 'a0'), addRaw(doc, 17), addRaw(doc, '')].sort()
    expect(order(doc)).toEqual([...ids, ...bad])
    // Move A in between the unordered ones: index 3 of the 6.
    const id = must(ids[0])
    const origins = transactionsDuring(doc, () => moveProposal(doc, id, 3))
    expect(origins).toEqual([LOCAL_ORIGIN])
    expect(order(doc)).toEqual([ids[1], bad[0], bad[1], id, bad[2], bad[3]])
    for (const p of readProposals(doc)) expect(isOrderKey(p.order)).toBe(true)
  })

  it('[P4] an unordered proposal can be moved into the ordered part', () => {
    const { doc, ids } = boardWith(['A', 'B', 'C'])
    const bad = addRaw(doc, '~~~')
    moveProposal(doc, bad, 1)
    expect(order(doc)).toEqual([ids[0], bad, ids[1], ids[2]])
    expect(isOrderKey(readProposal(doc, bad)?.order)).toBe(true)
  })

  it('[P4] refuses a position outside the board, writing nothing', () => {
    const { doc, ids } = boardWith(['A', 'B', 'C'])
    const id = must(ids[0])
    for (const toIndex of [-1, 3, 100, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = expectRefused(doc, () => moveProposal(doc, id, toIndex), 'invalid-input', 'toIndex')
      expect(error.message).toBe('Position must be between 0 and 2.')
    }
  })

  it('[P4] refuses a proposal that does not exist, writing nothing', () => {
    const { doc } = boardWith(['A', 'B'])
    expectRefused(doc, () => moveProposal(doc, newProposalId(), 0), 'not-found', 'id')
  })

  it('[P4] concurrent moves of one proposal converge to one position (last writer wins on its key)', () => {
    const { doc: origin, ids } = boardWith(['A', 'B', 'C', 'D', 'E'])
    const id = must(ids[0])
    const a = copyOf(origin)
    const b = copyOf(origin)
    moveProposal(a, id, 2)
    moveProposal(b, id, 4)
    const keyA = readProposal(a, id)?.order
    const keyB = readProposal(b, id)?.order
    syncAll(a, b)
    expect(order(a)).toEqual(order(b))
    expect(order(a).filter((p) => p === id)).toHaveLength(1)
    expect([keyA, keyB]).toContain(readProposal(a, id)?.order)
    const index = order(a).indexOf(id)
    expect([2, 4]).toContain(index)
    expect(order(a).filter((p) => p !== id)).toEqual(ids.slice(1))
  })

  it('[P4] concurrent moves of different proposals never duplicate or lose one', () => {
    const { doc: origin, ids } = boardWith(['A', 'B', 'C', 'D', 'E', 'F'])
    const replicas = [0, 1, 2].map(() => copyOf(origin))
    const [r0, r1, r2] = replicas.map((doc) => must(doc))
    moveProposal(must(r0), must(ids[5]), 0)
    moveProposal(must(r1), must(ids[0]), 5)
    moveProposal(must(r2), must(ids[2]), 3)
    moveProposal(must(r2), must(ids[5]), 2)
    syncAll(...replicas)
    for (const doc of replicas) {
      expect(order(doc)).toEqual(order(must(r0)))
      expect([...order(doc)].sort()).toEqual([...ids].sort())
    }
  })

  it('[P4] keys come from the injected random source', () => {
    const { doc: base, ids } = boardWith(['A', 'B', 'C'])
    const results = [0, 1].map(() => {
      const doc = copyOf(base)
      moveProposal(doc, must(ids[2]), 0, { random: seededRandom(8) })
      return readProposal(doc, must(ids[2]))?.order
    })
    expect(results[0]).toBe(results[1])
  })
})
