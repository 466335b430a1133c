import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  addProposal,
  compareProposals,
  isOrderKey,
  isProposalId,
  isProposalStatus,
  LOCAL_ORIGIN,
  newProposalId,
  PROPOSAL,
  PROPOSAL_STATUSES,
  readProposal,
  readProposals,
  renameProposal,
  ROOT_PROPOSALS,
  setProposalStatus,
  type Proposal,
  type ProposalId,
} from '../../shared/src'
import { ALICE, BOB, boardWith, copyOf, must, newReplica, syncAll, transactionsDuring } from '../helpers/boards'
import { seededRandom, shuffled } from '../helpers/prng'

const input = (title: string, createdAt = 1): Parameters<typeof addProposal>[1] => ({
  title,
  author: ALICE,
  authorName: 'Alice',
  createdAt,
})

describe('[P1] addProposal', () => {
  it('[P1] creates a draft with a fresh random id and the given author, in one transaction', () => {
    const { doc } = boardWith([])
    let id: ProposalId | undefined
    const origins = transactionsDuring(doc, () => {
      id = addProposal(doc, { title: '  Compost  ', author: BOB, authorName: ' Bob ', createdAt: 1234 })
    })
    expect(origins).toEqual([LOCAL_ORIGIN])
    const proposal = must(readProposal(doc, must(id)))
    expect(isProposalId(proposal.id)).toBe(true)
    expect(proposal).toEqual({
      id,
      title: 'Compost',
      status: 'draft',
      author: BOB,
      authorName: 'Bob',
      createdAt: 1234,
      order: proposal.order,
    })
    expect(isOrderKey(proposal.order)).toBe(true)
    // The stored map carries its own id too.
    expect(doc.getMap<Y.Map<unknown>>(ROOT_PROPOSALS).get(must(id))?.get(PROPOSAL.id)).toBe(id)
  })

  it('[P1] ids are fresh on every call', () => {
    const { doc } = boardWith([])
    const ids = Array.from({ length: 50 }, (_, i) => addProposal(doc, input(`P${i}`)))
    expect(new Set(ids).size).toBe(50)
  })

  it('[P1] places the proposal after every proposal this replica knows, including a peer\'s', () => {
    const { doc: a } = boardWith(['One', 'Two', 'Three'])
    const b = copyOf(a)
    const fromB = addProposal(b, input('From B'), { random: seededRandom(2) })
    const fromB2 = addProposal(b, input('From B again'))
    syncAll(a, b)
    const last = addProposal(a, input('Last'))
    const proposals = readProposals(a)
    expect(proposals.slice(-3).map((p) => p.id)).toEqual([fromB, fromB2, last])
    const lastKey = must(proposals.at(-1)).order
    for (const p of proposals.slice(0, -1)) expect(p.order < lastKey).toBe(true)
  })

  it('[P1] goes after every valid key even when some proposals carry none (those still sort last)', () => {
    const { doc, ids } = boardWith(['One'])
    const unordered = newProposalId()
    const yUnordered = new Y.Map<unknown>()
    doc.getMap<Y.Map<unknown>>(ROOT_PROPOSALS).set(unordered, yUnordered)
    yUnordered.set(PROPOSAL.title, 'No order')
    const added = addProposal(doc, input('Two'))
    expect(readProposals(doc).map((p) => p.id)).toEqual([ids[0], added, unordered])
  })

  it('[P1] order keys come from the injected random source', () => {
    const keys = [1, 2].map(() => {
      const { doc } = boardWith([])
      const id = addProposal(doc, input('Same'), { random: seededRandom(99) })
      return must(readProposal(doc, id)).order
    })
    expect(keys[0]).toBe(keys[1])
  })
})

describe('[P2] title and status are last-writer-wins per field', () => {
  it('[P2] a concurrent rename and status change both survive', () => {
    const { doc: a, ids } = boardWith(['Compost'])
    const id = must(ids[0])
    const b = copyOf(a)
    renameProposal(a, id, 'Compost bins')
    setProposalStatus(b, id, 'open')
    syncAll(a, b)
    for (const doc of [a, b]) {
      expect(readProposal(doc, id)).toMatchObject({ title: 'Compost bins', status: 'open' })
    }
    expect(readProposals(a)).toEqual(readProposals(b))
  })

  it('[P2] concurrent renames converge to one of the titles on every replica', () => {
    const { doc: a, ids } = boardWith(['Compost'])
    const id = must(ids[0])
    const b = copyOf(a)
    const c = copyOf(a)
    renameProposal(a, id, 'Title A')
    renameProposal(b, id, 'Title B')
    setProposalStatus(b, id, 'decided')
    setProposalStatus(c, id, 'withdrawn')
    // Deliver in different orders to each replica.
    const updates = [a, b, c].map((doc) => Y.encodeStateAsUpdate(doc))
    for (const [doc, order] of [
      [a, [1, 2]],
      [b, [2, 0]],
      [c, [1, 0]],
    ] as const) {
      for (const i of order) Y.applyUpdate(doc, must(updates[i]))
    }
    const result = must(readProposal(a, id))
    expect(['Title A', 'Title B']).toContain(result.title)
    expect(['decided', 'withdrawn']).toContain(result.status)
    expect(readProposal(b, id)).toEqual(result)
    expect(readProposal(c, id)).toEqual(result)
  })

  it('[P2] a later write wins over an earlier one it has seen', () => {
    const { doc: a, ids } = boardWith(['Compost'])
    const id = must(ids[0])
    const b = copyOf(a)
    renameProposal(a, id, 'First')
    syncAll(a, b)
    renameProposal(b, id, 'Second')
    syncAll(a, b)
    expect(readProposal(a, id)?.title).toBe('Second')
  })

  it('[S4] the statuses are draft, open, decided and withdrawn; nothing else is one', () => {
    expect(PROPOSAL_STATUSES).toEqual(['draft', 'open', 'decided', 'withdrawn'])
    for (const status of PROPOSAL_STATUSES) expect(isProposalStatus(status)).toBe(true)
    for (const value of ['Draft', 'approved', '', null, 0, ['open']]) expect(isProposalStatus(value)).toBe(false)
  })

  it('[P2] setProposalStatus accepts every status', () => {
    const { doc, ids } = boardWith(['Compost'])
    const id = must(ids[0])
    for (const status of [...PROPOSAL_STATUSES].reverse()) {
      setProposalStatus(doc, id, status)
      expect(readProposal(doc, id)?.status).toBe(status)
    }
  })

  it('[P2] writing the value a field already has writes nothing', () => {
    const { doc, ids } = boardWith(['Compost'])
    const id = must(ids[0])
    const before = Y.encodeStateAsUpdate(doc)
    const origins = transactionsDuring(doc, () => {
      renameProposal(doc, id, 'Compost')
      renameProposal(doc, id, '  Compost ')
      setProposalStatus(doc, id, 'draft')
    })
    expect(origins).toEqual([])
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before)
  })

  it('[P2] renameProposal and setProposalStatus write one field in one transaction', () => {
    const { doc, ids } = boardWith(['Compost', 'Bees'])
    const id = must(ids[1])
    const before = readProposals(doc)
    expect(transactionsDuring(doc, () => renameProposal(doc, id, '  Bees  and more '))).toEqual([LOCAL_ORIGIN])
    expect(transactionsDuring(doc, () => setProposalStatus(doc, id, 'open'))).toEqual([LOCAL_ORIGIN])
    expect(readProposals(doc)).toEqual([before[0], { ...before[1], title: 'Bees  and more', status: 'open' }])
  })
})

describe('[P3] board order is by order key, then by id', () => {
  /** Proposals written straight into the doc, as a peer could, with chosen keys and ids. */
  const withKeys = (entries: ReadonlyArray<readonly [string, string]>): Y.Doc => {
    const doc = newReplica()
    const yProposals = doc.getMap<Y.Map<unknown>>(ROOT_PROPOSALS)
    for (const [id, order] of entries) {
      const y = new Y.Map<unknown>()
      yProposals.set(id, y)
      y.set(PROPOSAL.title, `${order}/${id}`)
      y.set(PROPOSAL.order, order)
    }
    return doc
  }

  const id = (c: string): string => c.repeat(22)

  it('[P3] orders by key then id', () => {
    const doc = withKeys([
      [id('d'), 'V'],
      [id('a'), 'k'],
      [id('c'), 'V'],
      [id('b'), '1'],
      [id('e'), 'V0V'],
      [id('A'), 'V'],
    ])
    expect(readProposals(doc).map((p) => p.id)).toEqual([id('b'), id('A'), id('c'), id('d'), id('e'), id('a')])
  })

  it('[P3] the order is the same on every replica, whatever the arrival order', () => {
    const origin = newReplica()
    const replicas = [0, 1, 2].map((i) => {
      const doc = copyOf(origin)
      const random = seededRandom(i % 2) // two replicas pick the same keys: ties by id
      for (let n = 0; n < 4; n++) addProposal(doc, input(`R${i}-${n}`), { random })
      return doc
    })
    const updates = replicas.map((doc) => Y.encodeStateAsUpdate(doc))
    const random = seededRandom(5)
    const merged = [0, 1, 2, 3].map(() => {
      const doc = newReplica()
      for (const update of shuffled(random, updates)) Y.applyUpdate(doc, update)
      return readProposals(doc)
    })
    for (const proposals of merged) expect(proposals).toEqual(merged[0])
    const sorted = [...must(merged[0])].sort(compareProposals)
    expect(merged[0]).toEqual(sorted)
  })

  it('[P3] compareProposals is a total order: key first, id second', () => {
    const p = (order: string, idChar: string): Proposal =>
      ({ id: id(idChar), order, title: '', status: 'draft', author: null, authorName: '', createdAt: 0 }) as Proposal
    expect(compareProposals(p('1', 'z'), p('2', 'a'))).toBeLessThan(0)
    expect(compareProposals(p('2', 'a'), p('1', 'z'))).toBeGreaterThan(0)
    expect(compareProposals(p('V', 'a'), p('V', 'b'))).toBeLessThan(0)
    expect(compareProposals(p('V', 'b'), p('V', 'a'))).toBeGreaterThan(0)
    expect(compareProposals(p('V', 'a'), p('V', 'a'))).toBe(0)
  })
})

describe('[P5] concurrent addProposal on several replicas', () => {
  it('[P5] after merging, every proposal is present exactly once', () => {
    const { doc: origin, ids: existing } = boardWith(['Existing'])
    const replicas = [0, 1, 2].map(() => copyOf(origin))
    // Same random source on every replica: they all pick the same keys, the worst case for order.
    const added = replicas.map((doc, r) =>
      Array.from({ length: 5 }, (_, n) => addProposal(doc, input(`R${r}-${n}`), { random: seededRandom(3 + n) })),
    )
    syncAll(...replicas)
    const expected = [...existing, ...added.flat()]
    for (const doc of replicas) {
      const ids = readProposals(doc).map((p) => p.id)
      expect(ids).toHaveLength(expected.length)
      expect(new Set(ids)).toEqual(new Set(expected))
      expect(readProposals(doc)).toEqual(readProposals(must(replicas[0])))
    }
  })

  it('[P5] proposals added concurrently in one gap keep each replica\'s own relative order', () => {
    const { doc: origin } = boardWith(['Existing'])
    const a = copyOf(origin)
    const b = copyOf(origin)
    const fromA = [0, 1, 2].map((n) => addProposal(a, input(`A${n}`)))
    const fromB = [0, 1, 2].map((n) => addProposal(b, input(`B${n}`)))
    syncAll(a, b)
    const ids = readProposals(a).map((p) => p.id)
    expect(ids.filter((id) => fromA.includes(id))).toEqual(fromA)
    expect(ids.filter((id) => fromB.includes(id))).toEqual(fromB)
  })
})

describe('readProposal and readProposals', () => {
  it('read plain frozen values', () => {
    const { doc, ids } = boardWith(['Compost', 'Bees'])
    const proposals = readProposals(doc)
    expect(Object.isFrozen(proposals)).toBe(true)
    for (const p of proposals) expect(Object.isFrozen(p)).toBe(true)
    expect(readProposal(doc, must(ids[1]))).toEqual(proposals[1])
    expect(readProposals(newReplica())).toEqual([])
  })
})
