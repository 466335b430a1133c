import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import {
  ACTOR_KINDS,
  addActor,
  addActorToChamber,
  addChamber,
  addProposal,
  addRelation,
  archiveActor,
  archiveChamber,
  createBoard,
  linkProposalToActor,
  linkProposalToChamber,
  moveActor,
  PeerboardError,
  readActorPositions,
  readBoard,
  readMap,
  RELATION_KINDS,
  removeActorFromChamber,
  removeRelation,
  setActorChambers,
  setProposalAffected,
  unarchiveActor,
  unarchiveChamber,
  unlinkProposalFromActor,
  unlinkProposalFromChamber,
  updateActor,
  updateChamber,
  updateRelation,
  type MapSnapshot,
  type MemberId,
} from '../../shared/src'
import { must, newReplica } from '../helpers/boards'
import { idSource } from '../helpers/seededIds'
import { pick, seededRandom } from '../helpers/prng'
import { createReplicaNetwork } from '../helpers/replicaNetwork'

/*
 * A seeded multi-replica simulation of the stakeholder map, in the style of replicas.test.ts: three
 * replicas apply random map ops through the shared ops while their updates travel through per-link
 * buffers that deliver random subsets in random order, sometimes twice, over links that go down and
 * come back. At the end everything is delivered, and every replica must read the same map ([M10]).
 *
 * One seed decides everything, ids included (lib0/webcrypto is replaced by the seeded source), so
 * a failing seed replays exactly.
 */

vi.mock('lib0/webcrypto', async (importOriginal) =>
  (await import('../helpers/seededIds')).seededWebcrypto(await importOriginal()),
)

afterEach(() => {
  idSource.random = null
})

const REPLICAS = 3
const AUTHOR = 'Member0Member0Member00' as MemberId

interface SimulationResult {
  readonly docs: readonly Y.Doc[]
  /** Ops that were refused (archived target, duplicate relation...), each checked to write nothing. */
  readonly refused: number
  readonly applied: number
}

const simulate = (seed: number, steps: number): SimulationResult => {
  const random = seededRandom(seed)
  idSource.random = seededRandom(seed ^ 0x5bd1e995)
  const docs = Array.from({ length: REPLICAS }, (_, i) => newReplica(100 + i))
  let refused = 0
  let applied = 0

  const network = createReplicaNetwork(docs, random)

  const one = <T>(items: readonly T[]): T | undefined =>
    items.length === 0 ? undefined : items[pick(random, items.length)]
  const some = <T>(items: readonly T[]): T[] => items.filter(() => random() < 0.4)

  /** Runs an op; a refusal must be a PeerboardError and must have written nothing ([M11]). */
  const attempt = (doc: Y.Doc, op: () => unknown): boolean => {
    const before = Y.encodeStateVector(doc)
    try {
      op()
      applied++
      return true
    } catch (error) {
      expect(error).toBeInstanceOf(PeerboardError)
      expect(Y.encodeStateVector(doc)).toEqual(before)
      refused++
      return false
    }
  }

  /** One random map op on replica `r`, over what that replica can see. */
  const edit = (r: number, step: number): void => {
    const doc = must(docs[r])
    const map = readMap(doc)
    const proposals = readBoard(doc).proposals
    const actor = one(map.actors)
    const chamber = one(map.chambers)
    const relation = one(map.relations)
    const proposal = one(proposals)
    const choice = pick(random, 20)
    if (choice === 0 || (choice < 3 && actor === undefined)) {
      attempt(doc, () =>
        addActor(doc, {
          name: `Actor ${step}`,
          kind: must(one(ACTOR_KINDS)),
          interests: some(['water', 'soil', 'homes', 'jobs']),
          chambers: some(map.chambers.filter((c) => !c.archived).map((c) => c.id)),
          ...(random() < 0.5 ? { position: { x: pick(random, 800), y: pick(random, 600) } } : {}),
        }),
      )
    } else if (choice === 1 || chamber === undefined) {
      attempt(doc, () => addChamber(doc, { name: `Chamber ${step}` }))
    } else if (choice === 2 || proposal === undefined) {
      const input = { title: `P${step}`, author: AUTHOR, authorName: 'M', createdAt: step }
      attempt(doc, () => addProposal(doc, input, { random }))
    } else if (actor === undefined) {
      attempt(doc, () => addActor(doc, { name: `Actor ${step}`, kind: 'person' }))
    } else if (choice === 3) {
      const fields = [
        { name: `Renamed ${step}` },
        { kind: must(one(ACTOR_KINDS)) },
        { description: `D${step}` },
        { interests: some(['a', 'b', 'c']) },
      ]
      attempt(doc, () => updateActor(doc, actor.id, must(one(fields))))
    } else if (choice === 4) {
      attempt(doc, () => (random() < 0.6 ? archiveActor(doc, actor.id) : unarchiveActor(doc, actor.id)))
    } else if (choice === 5 || choice === 6) {
      const position = { x: pick(random, 1000) - 500, y: pick(random, 1000) - 500 }
      if (attempt(doc, () => moveActor(doc, actor.id, position))) {
        expect(readActorPositions(doc)[actor.id]).toEqual(position)
      }
    } else if (choice === 7) {
      const changes = random() < 0.5 ? { name: `C${step}` } : { description: `About ${step}` }
      attempt(doc, () => updateChamber(doc, chamber.id, changes))
    } else if (choice === 8) {
      attempt(doc, () => (random() < 0.5 ? archiveChamber(doc, chamber.id) : unarchiveChamber(doc, chamber.id)))
    } else if (choice === 9) {
      const op = random() < 0.6 ? addActorToChamber : removeActorFromChamber
      attempt(doc, () => op(doc, actor.id, chamber.id))
    } else if (choice === 10) {
      attempt(doc, () => setActorChambers(doc, actor.id, some(map.chambers.map((c) => c.id))))
    } else if (choice === 11 || choice === 12 || choice === 13) {
      // Mostly a distinct actor; sometimes the same one, which must be refused.
      const to = random() < 0.9 ? (one(map.actors.filter((a) => a.id !== actor.id)) ?? actor) : actor
      const input = { from: actor.id, to: to.id, kind: must(one(RELATION_KINDS)), note: `N${step}` }
      attempt(doc, () => addRelation(doc, input))
    } else if (choice === 14 && relation !== undefined) {
      const changes = random() < 0.5 ? { note: `M${step}` } : { kind: must(one(RELATION_KINDS)) }
      if (random() < 0.3) attempt(doc, () => removeRelation(doc, relation.id))
      else attempt(doc, () => updateRelation(doc, relation.id, changes))
    } else if (choice === 15) {
      attempt(doc, () => linkProposalToActor(doc, proposal.id, actor.id))
    } else if (choice === 16) {
      attempt(doc, () => unlinkProposalFromActor(doc, proposal.id, actor.id))
    } else if (choice === 17) {
      attempt(doc, () =>
        random() < 0.6
          ? linkProposalToChamber(doc, proposal.id, chamber.id)
          : unlinkProposalFromChamber(doc, proposal.id, chamber.id),
      )
    } else {
      const input = { actors: some(map.actors.map((a) => a.id)), chambers: some(map.chambers.map((c) => c.id)) }
      attempt(doc, () => setProposalAffected(doc, proposal.id, input))
    }
  }

  createBoard(must(docs[0]), { name: 'Simulation', createdAt: 0 })
  for (let step = 1; step <= steps; step++) {
    const r = random()
    if (r < 0.6) {
      edit(pick(random, REPLICAS), step)
    } else if (r < 0.9) {
      network.deliverToOne()
    } else {
      network.togglePartitions()
    }
  }

  network.deliverAll()
  return { docs, refused, applied }
}

/** What every converged map must satisfy besides being equal everywhere ([M9]). */
const expectConsistent = (map: MapSnapshot): void => {
  const actors = new Set<string>(map.actors.map((a) => a.id))
  const chambers = new Set<string>(map.chambers.map((c) => c.id))
  for (const actor of map.actors) for (const c of actor.chambers) expect(chambers.has(c)).toBe(true)
  for (const r of map.relations) {
    expect(actors.has(r.from) && actors.has(r.to) && r.from !== r.to).toBe(true)
    expect(r.touchesArchived).toBe(r.fromArchived || r.toArchived)
  }
  for (const id of Object.keys(map.positions)) expect(actors.has(id)).toBe(true)
  for (const entry of map.affected) {
    for (const a of entry.actors) expect(actors.has(a)).toBe(true)
    for (const c of entry.chambers) expect(chambers.has(c)).toBe(true)
  }
}

const expectConverged = ({ docs }: SimulationResult): MapSnapshot => {
  for (const doc of docs) {
    expect(doc.store.pendingStructs).toBeNull()
    expect(doc.store.pendingDs).toBeNull()
  }
  const maps = docs.map((doc) => readMap(doc))
  const first = must(maps[0])
  for (const map of maps) expect(map).toEqual(first)
  for (const doc of docs) expect(readBoard(doc)).toEqual(readBoard(must(docs[0])))
  for (const doc of docs) expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(must(docs[0])))
  expectConsistent(first)
  return first
}

describe('[M10] map replicas converge under random ops, reordering, duplicates and partitions', () => {
  it('[M1][M10] all replicas read the same map', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7fffffff }), (seed) => {
        expectConverged(simulate(seed, 120))
      }),
      { numRuns: 40 },
    )
  })

  it('[M10] long runs with many concurrent edits of the same few entries still converge', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7fffffff }), (seed) => {
        expectConverged(simulate(seed, 400))
      }),
      { numRuns: 8 },
    )
  })
})

describe('the map simulation', () => {
  it('replays a seed exactly, ids included, and reaches archived actors, their relations, positions and links', () => {
    const runs = [0, 1].map(() => simulate(1, 150))
    const maps = runs.map((run) => readMap(must(run.docs[0])))
    expect(maps[1]).toEqual(maps[0])
    const map = must(maps[0])
    expect(map.actors.some((a) => a.archived)).toBe(true)
    expect(map.relations.some((r) => r.touchesArchived)).toBe(true)
    expect(map.relations.some((r) => !r.touchesArchived)).toBe(true)
    expect(Object.keys(map.positions).length).toBeGreaterThan(0)
    expect(map.affected.length).toBeGreaterThan(0)
    expect(must(runs[0]).applied).toBeGreaterThan(40)
    expect(must(runs[0]).refused).toBeGreaterThan(0)
  })
})
