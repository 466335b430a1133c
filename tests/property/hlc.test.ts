import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  compareHlc,
  formatHlc,
  HLC_MAX_DRIFT_MS,
  initialHlc,
  parseHlc,
  receiveHlc,
  tickHlc,
  type Hlc,
  type HlcParts,
} from '../../shared/src'
import { NODE_A, NODE_B, NODE_C } from '../helpers/dialogue'

const NODES = [NODE_A, NODE_B, NODE_C]
const YEAR = 365 * 24 * 3_600_000
const BASE = 1_700_000_000_000

const parts = fc.record({
  wall: fc.integer({ min: 0, max: BASE + YEAR }),
  counter: fc.integer({ min: 0, max: 99_999 }),
  node: fc.constantFrom(...NODES),
})

/** (wall, counter) order, ignoring the node. */
const before = (a: Hlc, b: Hlc): boolean => {
  const x = parseHlc(a)
  const y = parseHlc(b)
  return x.wall < y.wall || (x.wall === y.wall && x.counter < y.counter)
}

const tupleCompare = (a: HlcParts, b: HlcParts): number =>
  a.wall !== b.wall ? a.wall - b.wall : a.counter !== b.counter ? a.counter - b.counter : a.node < b.node ? -1 : a.node > b.node ? 1 : 0

/** A local event: a tick at `now`, or the receipt of a remote timestamp at `now`. */
const event = fc.oneof(
  fc.record({ kind: fc.constant('tick' as const), now: fc.integer({ min: BASE - YEAR, max: BASE + YEAR }) }),
  fc.record({
    kind: fc.constant('receive' as const),
    now: fc.integer({ min: BASE - YEAR, max: BASE + YEAR }),
    remote: fc.record({
      // From far behind to far beyond the drift bound.
      offset: fc.integer({ min: -YEAR, max: 3 * HLC_MAX_DRIFT_MS }),
      counter: fc.integer({ min: 0, max: 99_999 }),
      node: fc.constantFrom(NODE_B, NODE_C),
    }),
  }),
)

describe('[T5] hybrid logical clock properties', () => {
  it('[T5] string order is a total order that agrees with (wall, counter, node) order', () => {
    fc.assert(
      fc.property(parts, parts, parts, (a, b, c) => {
        const [x, y, z] = [formatHlc(a), formatHlc(b), formatHlc(c)]
        expect(parseHlc(x)).toEqual(a)
        expect(x.length).toBe(44)
        expect(Math.sign(compareHlc(x, y))).toBe(Math.sign(tupleCompare(a, b)))
        expect(compareHlc(x, y)).toBe(-compareHlc(y, x))
        expect(compareHlc(x, y) === 0).toBe(x === y)
        if (compareHlc(x, y) <= 0 && compareHlc(y, z) <= 0) expect(compareHlc(x, z)).toBeLessThanOrEqual(0)
      }),
      { numRuns: 500 },
    )
  })

  it('[T5] a clock is strictly monotonic, never behind its wall clock, and passes what it receives', () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 60 }), (events) => {
        let last = initialHlc(NODE_A)
        let bound = 0
        for (const e of events) {
          const next = e.kind === 'tick' ? tickHlc(last, e.now) : receiveHlc(last, remoteOf(e), e.now)
          // Monotonic: every event is strictly later, in (wall, counter), than the one before.
          expect(before(last, next)).toBe(true)
          expect(parseHlc(next).wall).toBeGreaterThanOrEqual(e.now)
          expect(parseHlc(next).node).toBe(NODE_A)
          if (e.kind === 'receive') {
            const remote = remoteOf(e)
            const adopted = parseHlc(remote).wall <= Math.max(e.now + HLC_MAX_DRIFT_MS, parseHlc(last).wall)
            // Receiving never goes backwards, and goes past every remote timestamp it adopts.
            if (adopted) expect(before(remote, next)).toBe(true)
          }
          // A clock is never dragged further than the drift bound ahead of some wall clock reading
          // (plus one millisecond per event for counter overflow).
          bound = Math.max(bound, e.now + HLC_MAX_DRIFT_MS)
          expect(parseHlc(next).wall).toBeLessThanOrEqual(bound + events.length)
          last = next
        }
      }),
      { numRuns: 500 },
    )
  })
})

const remoteOf = (e: { now: number; remote: { offset: number; counter: number; node: string } }): Hlc =>
  formatHlc({ wall: Math.max(0, e.now + e.remote.offset), counter: e.remote.counter, node: e.remote.node })
