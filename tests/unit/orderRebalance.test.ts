import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import {
  addProposal,
  isOrderKey,
  moveProposal,
  ORDER_KEY_MAX,
  PROPOSAL,
  readProposals,
  ROOT_PROPOSALS,
} from '../../shared/src'
import { ALICE, boardWith } from '../helpers/boards'
import { seededRandom } from '../helpers/prng'

/** Gives the proposal a key of almost the maximum length, as a gap split many times would. */
const setLongKey = (doc: Y.Doc, id: string, key: string): void => {
  doc.getMap<Y.Map<unknown>>(ROOT_PROPOSALS).get(id)?.set(PROPOSAL.order, key)
}

describe('[K3] ops never write a key longer than ORDER_KEY_MAX', () => {
  it('[K3] appending 2,000 proposals keeps keys short', () => {
    const { doc } = boardWith([])
    const random = seededRandom(3)
    for (let i = 0; i < 2_000; i++) {
      addProposal(doc, { title: `P${i}`, author: ALICE, authorName: 'Alice', createdAt: i }, { random })
    }
    const proposals = readProposals(doc)
    expect(proposals.map((p) => p.title)).toEqual(Array.from({ length: 2_000 }, (_, i) => `P${i}`))
    expect(Math.max(...proposals.map((p) => p.order.length))).toBeLessThan(100)
  })

  it('[K3] moving to the top 500 times keeps keys short and the order exact', () => {
    const { doc } = boardWith(['a', 'b', 'c'])
    const random = seededRandom(4)
    for (let i = 0; i < 500; i++) {
      const last = readProposals(doc).at(-1)
      if (last === undefined) throw new Error('no proposals')
      moveProposal(doc, last.id, 0, { random })
    }
    // 500 rotations of three: back where it started, shifted by 500 mod 3 = 2.
    expect(readProposals(doc).map((p) => p.title)).toEqual(['b', 'c', 'a'])
    expect(Math.max(...readProposals(doc).map((p) => p.order.length))).toBeLessThan(100)
  })

  it('[K3] when a gap is exhausted, the whole list is re-keyed in the intended order', () => {
    const { doc, ids } = boardWith(['a', 'b', 'c'])
    const [a, b] = ids
    if (a === undefined || b === undefined) throw new Error('missing proposals')
    // Two neighbours whose keys differ only in the last of ~1,020 digits: nothing short fits between.
    const base = 'V'.repeat(ORDER_KEY_MAX - 4)
    setLongKey(doc, a, `${base}1`)
    setLongKey(doc, b, `${base}2`)
    const cId = readProposals(doc).find((p) => p.title === 'c')?.id
    if (cId === undefined) throw new Error('missing c')
    moveProposal(doc, cId, 1, { random: seededRandom(5) })
    const after = readProposals(doc)
    expect(after.map((p) => p.title)).toEqual(['a', 'c', 'b'])
    for (const p of after) {
      expect(isOrderKey(p.order)).toBe(true)
      expect(p.order.length).toBeLessThan(20)
    }
  })
})
