import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  isOrderKey,
  LOCAL_ORIGIN,
  moveProposal,
  PROPOSAL,
  readProposals,
  ROOT_PROPOSALS,
  type ProposalId,
} from '../../shared/src'
import { must, newReplica, transactionsDuring } from '../helpers/boards'
import { seededRandom } from '../helpers/prng'

/**
 * Order values a board can hold: a few valid keys (so that some proposals share one, as after two
 * devices placed items in one gap at once) and values that are not keys at all ([S4]).
 */
const orderValue = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('1', 'F', 'V', 'V', 'k', 'k', 'z', 'zV') },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(undefined, '', 'a0', 42, '~', null) },
)

const idFor = (i: number): ProposalId => `proposal${String(i).padStart(4, '0')}${'x'.repeat(10)}` as ProposalId

/** A board whose proposals were written by peers with the given order values. */
const boardWithOrders = (orders: readonly unknown[]): Y.Doc => {
  const doc = newReplica()
  const yProposals = doc.getMap<Y.Map<unknown>>(ROOT_PROPOSALS)
  orders.forEach((order, i) => {
    const y = new Y.Map<unknown>()
    yProposals.set(idFor(i), y)
    y.set(PROPOSAL.title, `#${i}`)
    if (order !== undefined) y.set(PROPOSAL.order, order)
  })
  return doc
}

describe('[P4] moveProposal on any board', () => {
  it('[P4] puts the proposal at index i, keeps the others in order, re-keys only tied or unordered neighbours', () => {
    fc.assert(
      fc.property(
        fc.array(orderValue, { minLength: 1, maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 15 }),
        fc.integer(),
        (orders, moves, seed) => {
          const doc = boardWithOrders(orders)
          const random = seededRandom(seed)
          for (const [pickFrom, pickTo] of moves) {
            const before = readProposals(doc)
            const target = must(before[pickFrom % before.length])
            const to = pickTo % before.length
            const origins = transactionsDuring(doc, () => moveProposal(doc, target.id, to, { random }))
            const after = readProposals(doc)

            expect(after.map((p) => p.id).indexOf(target.id)).toBe(to)
            const others = (list: typeof before): ProposalId[] => list.filter((p) => p.id !== target.id).map((p) => p.id)
            expect(others(after)).toEqual(others(before))
            expect(origins.length).toBeLessThanOrEqual(1)
            if (origins.length === 1) expect(origins[0]).toBe(LOCAL_ORIGIN)

            // Only the moved proposal's key changes, unless a neighbour shared a key or had none.
            const keyBefore = new Map(before.map((p) => [p.id, p.order]))
            const keyCounts = new Map<string, number>()
            for (const p of before) keyCounts.set(p.order, (keyCounts.get(p.order) ?? 0) + 1)
            for (const p of after) {
              const old = must(keyBefore.get(p.id))
              if (p.id === target.id || p.order === old) continue
              expect(isOrderKey(p.order)).toBe(true)
              expect(!isOrderKey(old) || (keyCounts.get(old) ?? 0) > 1).toBe(true)
            }
          }
        },
      ),
      { numRuns: 300 },
    )
  })
})
