import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import {
  addProposal,
  createBoard,
  isOrderKey,
  moveProposal,
  PROPOSAL_STATUSES,
  readBoard,
  readProposal,
  readProposals,
  renameBoard,
  renameProposal,
  setProposalStatus,
  type MemberId,
  type ProposalId,
} from '../../shared/src'
import { must, newReplica } from '../helpers/boards'
import { idSource } from '../helpers/seededIds'
import { pick, seededRandom } from '../helpers/prng'
import { createReplicaNetwork } from '../helpers/replicaNetwork'

/*
 * A seeded multi-replica simulation, in the style of the Yjs test suite: three replicas make random
 * edits through the shared ops while their updates travel through per-link buffers that deliver
 * random subsets in random order, sometimes twice, and links that go down and come back. At the
 * end everything is delivered, and every replica must read the same board ([P2]-[P5], [S1]).
 *
 * One seed decides everything, proposal ids included (they are drawn from lib0/webcrypto, which is
 * replaced here by the seeded source), so a failing seed replays exactly.
 */

vi.mock('lib0/webcrypto', async (importOriginal) =>
  (await import('../helpers/seededIds')).seededWebcrypto(await importOriginal()),
)

afterEach(() => {
  idSource.random = null
})

const REPLICAS = 3
const MEMBERS = ['Member0Member0Member00', 'Member1Member1Member11', 'Member2Member2Member22'] as MemberId[]

interface SimulationResult {
  readonly added: readonly ProposalId[]
  readonly docs: readonly Y.Doc[]
  /** How many edits saw a proposal without a valid key (a delete applied, its insert pending). */
  readonly unorderedSeen: number
}

const simulate = (seed: number, steps: number): SimulationResult => {
  const random = seededRandom(seed)
  idSource.random = seededRandom(seed ^ 0x5bd1e995)
  const docs = Array.from({ length: REPLICAS }, (_, i) => newReplica(100 + i))
  const added: ProposalId[] = []
  let unorderedSeen = 0

  const network = createReplicaNetwork(docs, random)

  /** One random edit on replica `r`, checked against what that replica sees right after. */
  const edit = (r: number, step: number): void => {
    const doc = must(docs[r])
    const known = readProposals(doc)
    if (known.some((p) => !isOrderKey(p.order))) unorderedSeen++
    const choice = random()
    if (known.length === 0 || choice < 0.3) {
      const input = { title: `P${step}`, author: must(MEMBERS[r]), authorName: `Member ${r}`, createdAt: step }
      const id = addProposal(doc, input, { random })
      added.push(id)
      // [P1] after every proposal this replica knows. (While an update waits for an earlier one,
      // Yjs has already applied its deletes: a moved proposal's old key can be gone before its new
      // one arrives, and it reads as unordered, sorting last ([S4]), until the rest is delivered.)
      const ordered = readProposals(doc).filter((p) => isOrderKey(p.order))
      expect(ordered.at(-1)?.id).toBe(id)
      return
    }
    const target = must(known[pick(random, known.length)])
    if (choice < 0.5) {
      renameProposal(doc, target.id, `T${step}`)
      expect(readProposal(doc, target.id)?.title).toBe(`T${step}`)
    } else if (choice < 0.7) {
      const status = must(PROPOSAL_STATUSES[pick(random, PROPOSAL_STATUSES.length)])
      setProposalStatus(doc, target.id, status)
      expect(readProposal(doc, target.id)?.status).toBe(status)
    } else if (choice < 0.95) {
      const to = pick(random, known.length)
      moveProposal(doc, target.id, to, { random })
      // [P4] at index `to` of the current order, the others keeping their relative order.
      const after = readProposals(doc).map((p) => p.id)
      expect(after.indexOf(target.id)).toBe(to)
      expect(after.filter((id) => id !== target.id)).toEqual(known.map((p) => p.id).filter((id) => id !== target.id))
    } else {
      renameBoard(doc, `Board ${step}`)
    }
  }

  createBoard(must(docs[0]), { name: 'Simulation', createdAt: 0 })
  for (let step = 1; step <= steps; step++) {
    const r = random()
    if (r < 0.55) {
      edit(pick(random, REPLICAS), step)
    } else if (r < 0.9) {
      network.deliverToOne()
    } else {
      // Partitions: each link goes down or comes back with some probability.
      network.togglePartitions()
    }
  }

  // Heal every partition and deliver everything that is left, in random order.
  network.deliverAll()
  return { added, docs, unorderedSeen }
}

/** Every replica reads the same board, with every proposal exactly once. */
const expectConverged = ({ added, docs }: SimulationResult): void => {
  for (const doc of docs) {
    expect(doc.store.pendingStructs).toBeNull()
    expect(doc.store.pendingDs).toBeNull()
  }
  const boards = docs.map((doc) => readBoard(doc))
  const first = must(boards[0])
  for (const board of boards) expect(board).toEqual(first)
  const ids = first.proposals.map((p) => p.id)
  expect(new Set(ids).size).toBe(ids.length)
  expect([...ids].sort()).toEqual([...added].sort())
  for (const p of first.proposals) expect(isOrderKey(p.order)).toBe(true)
  for (const doc of docs) expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(must(docs[0])))
}

describe('[P5] replicas converge under random edits, reordering, duplicates and partitions', () => {
  it('[P2][P3][P4][P5] all replicas read the same board, each proposal exactly once, in one order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7fffffff }), (seed) => {
        expectConverged(simulate(seed, 80))
      }),
      { numRuns: 60 },
    )
  })

  it('[P4] replicas that move the same few proposals a lot still converge', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7fffffff }), (seed) => {
        expectConverged(simulate(seed, 200))
      }),
      { numRuns: 10 },
    )
  })
})

describe('the simulation', () => {
  it('replays a seed exactly, proposal ids included', () => {
    const boards = [0, 1].map(() => readBoard(must(simulate(12345, 60).docs[0])))
    expect(boards[1]).toEqual(boards[0])
    expect(must(boards[0]).proposals.length).toBeGreaterThan(0)
  })
})

describe('regressions (seeds that once failed)', () => {
  // Seed 0 first failed on a check that was too strict: it expected a new proposal to be last, but
  // a proposal whose move was still waiting on an earlier update had lost its old key and sorted
  // last ([S4]). The seed is kept because it reaches that state.
  it('[P1] seed 0: a new proposal goes after every valid key while another is transiently unordered', () => {
    const result = simulate(0, 80)
    expect(result.unorderedSeen).toBeGreaterThan(0)
    expectConverged(result)
  })
})
