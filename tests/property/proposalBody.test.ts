import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { PROPOSAL_BODY_ROOT, seedProposalBody } from '../../shared/src'
import { must, newReplica, syncAll } from '../helpers/boards'

type Event = { readonly kind: 'seed'; readonly replica: number } | { readonly kind: 'sync'; readonly from: number; readonly to: number }

const events = (replicas: number): fc.Arbitrary<Event[]> =>
  fc.array(
    fc.oneof(
      fc.nat({ max: replicas - 1 }).map((replica): Event => ({ kind: 'seed', replica })),
      fc
        .tuple(fc.nat({ max: replicas - 1 }), fc.nat({ max: replicas - 1 }))
        .map(([from, to]): Event => ({ kind: 'sync', from, to })),
    ),
    { maxLength: 30 },
  )

describe('[B1] the empty-body seed', () => {
  it('[B1] any number of applications on any number of replicas, before or after sync, yield one paragraph', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((replicas) => fc.tuple(fc.constant(replicas), events(replicas))),
        ([replicas, schedule]) => {
          const docs = Array.from({ length: replicas }, () => newReplica())
          // Every replica seeds at least once, at the point the schedule says or at the end.
          const seeded = new Set<number>()
          for (const event of schedule) {
            if (event.kind === 'seed') {
              seedProposalBody(must(docs[event.replica]))
              seeded.add(event.replica)
            } else {
              const from = must(docs[event.from])
              const to = must(docs[event.to])
              Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)))
            }
          }
          docs.forEach((doc, i) => {
            if (!seeded.has(i)) seedProposalBody(doc)
          })
          syncAll(...docs)
          for (const doc of docs) {
            const delta = doc.get(PROPOSAL_BODY_ROOT, Y.XmlText).toDelta() as Array<{ insert: unknown }>
            expect(delta).toHaveLength(1)
            expect(must(delta[0]).insert).toBeInstanceOf(Y.XmlText)
          }
        },
      ),
      { numRuns: 200 },
    )
  })
})
