import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import {
  castStance,
  createHlcClock,
  openPoll,
  parseMarkerBody,
  parseStanceBody,
  PeerboardError,
  performDuty,
  readDeviceDuties,
  readDecisions,
  readDeviceOwners,
  ROOT_POLL_MARKERS,
  ROOT_STANCES,
  SIGNATURE_DOMAINS,
  tallyPoll,
  verifyRecord,
  type MarkerBody,
  type PollId,
  type SignedEnvelope,
  type StanceRecord,
} from '../../shared/src'
import { copyOf } from '../helpers/boards'
import { ANN, BEN, CAT, decisionBoard, HOUR, T0, type TestMember } from '../helpers/decisions'
import { pick, seededRandom, shuffled } from '../helpers/prng'
import { createReplicaNetwork } from '../helpers/replicaNetwork'

/*
 * A seeded multi-replica simulation of a poll (SPEC [C4], [C9], [C10], [C14]): three replicas, one
 * member each, cast and change stances on a consent poll at random times before close, write "seen
 * after close" markers after it, while updates travel over links that deliver random subsets in
 * random order, sometimes twice, and go down and come back. At the end everything is delivered:
 * every replica reads the same tally, and it equals the tally of the set of stances taken in any
 * order with duplicates.
 */

const MEMBERS: readonly TestMember[] = [ANN, BEN, CAT]
const CLOSES = T0 + HOUR
const NODE = 'simulatedDeviceNode000A'

const simulate = (seed: number, steps: number) => {
  const random = seededRandom(seed)
  const { doc, proposal } = decisionBoard(MEMBERS)
  const poll = openPoll(doc, ANN.signer, { proposal, opener: ANN.id, openedAt: T0, closesAt: CLOSES, body: '' })
  const docs = MEMBERS.map((_, i) => copyOf(doc, 100 + i))
  const network = createReplicaNetwork(docs, random)
  for (let step = 0; step < steps; step++) {
    const r = random()
    if (r < 0.45) {
      const i = pick(random, docs.length)
      const m = MEMBERS[i] as TestMember
      const objection = random() < 0.3
      const castAt = T0 + 1 + Math.floor((random() * HOUR * 5) / 4) // some after close: refused
      try {
        castStance(docs[i] as Y.Doc, m.signer, {
          poll,
          member: m.id,
          choice: objection ? 'objection' : 'consent',
          reason: objection ? 'Not yet, let us talk' : '',
          castAt,
        })
      } catch (error) {
        if (!(error instanceof PeerboardError) || castAt <= CLOSES) throw error
      }
    } else if (r < 0.55) {
      const i = pick(random, docs.length)
      const m = MEMBERS[i] as TestMember
      // The member's device does what shared says it should, as the app does (SPEC [C9]).
      const doc = docs[i] as Y.Doc
      const now = CLOSES + 1 + step
      for (const duty of readDeviceDuties(doc, m.id, now)) {
        performDuty(doc, duty, { member: m.id, signer: m.signer, now, clock: () => createHlcClock({ node: NODE, wallClock: () => now }) })
      }
    } else if (r < 0.9) network.deliverToOne()
    else network.togglePartitions()
  }
  network.deliverAll()
  return { docs, poll, random }
}

const tallyOf = (doc: Y.Doc, poll: PollId) => readDecisions(doc, CLOSES + 10 * HOUR).polls.find((p) => p.id === poll)?.tally

describe('[C10] the tally is the same on every replica', () => {
  it('[C4][C9][C10] any arrival order, duplication and partition give one tally', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7fffffff }), (seed) => {
        const { docs, poll, random } = simulate(seed, 40)
        const tallies = docs.map((doc) => tallyOf(doc, poll))
        expect(tallies[0]).toBeDefined()
        for (const t of tallies) expect(t).toEqual(tallies[0])
        // The same as the pure tally of the set, in a shuffled order with duplicates.
        const first = docs[0] as Y.Doc
        const owners = readDeviceOwners(first)
        const records: StanceRecord[] = []
        first.getMap(ROOT_STANCES).forEach((value, key) => {
          const v = verifyRecord(key, value, SIGNATURE_DOMAINS.stance, parseStanceBody, (b) => b.member, owners)
          if (v.ok) records.push({ id: v.id, body: v.body })
        })
        const def = readDecisions(first, 0).polls[0]?.def
        if (def === undefined) throw new Error('no poll')
        const markers: MarkerBody[] = []
        first.getMap(ROOT_POLL_MARKERS).forEach((value, key) => {
          const v = verifyRecord(key, value, SIGNATURE_DOMAINS.pollMarker, parseMarkerBody, (b) => b.member, owners)
          if (v.ok) markers.push(v.body)
        })
        const again = tallyPoll(
          poll,
          def,
          shuffled(random, [...records, ...records]),
          shuffled(random, [...markers, ...markers]),
          CLOSES + 10 * HOUR,
        )
        expect(again).toEqual(tallies[0])
      }),
      { numRuns: 12, seed: 4242 },
    )
  })
})

describe('[C14] a forged or altered stance never counts', () => {
  it('[C14] any one-character change to a stored stance makes it rejected, and the tally is unchanged', () => {
    const { doc, proposal } = decisionBoard(MEMBERS)
    const poll = openPoll(doc, ANN.signer, { proposal, opener: ANN.id, openedAt: T0, closesAt: CLOSES, body: '' })
    castStance(doc, BEN.signer, { poll, member: BEN.id, choice: 'consent', reason: '', castAt: T0 + 1 })
    const before = tallyOf(doc, poll)
    const yStances = doc.getMap<SignedEnvelope>(ROOT_STANCES)
    const [key, envelope] = [...yStances.entries()][0] as [string, SignedEnvelope]
    fc.assert(
      fc.property(
        fc.constantFrom<'body' | 'signer' | 'sig'>('body', 'signer', 'sig'),
        fc.nat(),
        fc.constantFrom('A', 'b', '0', '_', '"', 'x'),
        (field, at, char) => {
          const text = envelope[field]
          const i = at % text.length
          if (text[i] === char) return
          const altered = { ...envelope, [field]: text.slice(0, i) + char + text.slice(i + 1) }
          const copy = copyOf(doc)
          copy.getMap(ROOT_STANCES).set(key, altered)
          const after = tallyOf(copy, poll)
          expect(after?.cast).toBe(0)
          expect(readDecisions(copy, CLOSES).rejectedStances).toHaveLength(1)
          // A forged stance added beside the real one (Cat's vote signed by Ben's key) never counts either.
          const forged = { ...envelope, body: envelope.body.replace(BEN.id, CAT.id) }
          copy.getMap(ROOT_STANCES).set(key, envelope)
          copy.getMap(ROOT_STANCES).set('ForgedForgedForgedForg', forged)
          expect(tallyOf(copy, poll)).toEqual(before)
        },
      ),
      { numRuns: 60, seed: 7 },
    )
  })
})
