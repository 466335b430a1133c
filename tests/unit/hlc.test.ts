import { describe, expect, it } from 'vitest'
import {
  compareHlc,
  createHlcClock,
  formatHlc,
  HLC_COUNTER_MAX,
  HLC_MAX_DRIFT_MS,
  HLC_WALL_MAX,
  hlcWallMs,
  initialHlc,
  isHlc,
  isHlcNode,
  parseHlc,
  receiveHlc,
  tickHlc,
  type Hlc,
} from '../../shared/src'
import { manualClock, NODE_A, NODE_B } from '../helpers/dialogue'

const at = (wall: number, counter = 0, node = NODE_A): Hlc => formatHlc({ wall, counter, node })

describe('[T5] timestamps', () => {
  it('[T5] are fixed-width strings of (wall, counter, node) that parse back', () => {
    const hlc = at(1_700_000_000_123, 42, NODE_B)
    expect(hlc).toBe(`001700000000123.00042.${NODE_B}`)
    expect(hlc.length).toBe(44)
    expect(parseHlc(hlc)).toEqual({ wall: 1_700_000_000_123, counter: 42, node: NODE_B })
    expect(hlcWallMs(hlc)).toBe(1_700_000_000_123)
    expect(isHlc(hlc)).toBe(true)
    expect(at(0).length).toBe(44)
    expect(at(HLC_WALL_MAX, HLC_COUNTER_MAX).length).toBe(44)
  })

  it('[T5] string order is (wall, counter, node) order', () => {
    const sorted = [at(1, 0, NODE_A), at(1, 0, NODE_B), at(1, 1, NODE_A), at(2, 0, NODE_A), at(10, 0, NODE_A)]
    expect([...sorted].reverse().sort()).toEqual(sorted)
    expect([...sorted].reverse().sort(compareHlc)).toEqual(sorted)
    expect(compareHlc(at(5), at(5))).toBe(0)
  })

  it('[T5] recognises only well-formed timestamps and nodes', () => {
    for (const bad of [null, 5, '', '1.2.3', `1700000000123.00042.${NODE_A}`, `${at(1)}x`, at(1).replace('.', ':')]) {
      expect(isHlc(bad)).toBe(false)
    }
    expect(isHlcNode(NODE_A)).toBe(true)
    expect(isHlcNode('short')).toBe(false)
    expect(isHlcNode('NodeANodeANodeANodeA0!')).toBe(false)
  })

  it('[T5] refuses to format out-of-range parts', () => {
    expect(() => formatHlc({ wall: -1, counter: 0, node: NODE_A })).toThrow(RangeError)
    expect(() => formatHlc({ wall: HLC_WALL_MAX + 1, counter: 0, node: NODE_A })).toThrow(RangeError)
    expect(() => formatHlc({ wall: 1.5, counter: 0, node: NODE_A })).toThrow(RangeError)
    expect(() => formatHlc({ wall: 1, counter: HLC_COUNTER_MAX + 1, node: NODE_A })).toThrow(RangeError)
    expect(() => formatHlc({ wall: 1, counter: 0, node: 'x' })).toThrow(RangeError)
    expect(() => tickHlc(at(1), Number.NaN)).toThrow(RangeError)
  })
})

describe('[T5] tickHlc', () => {
  it('[T5] follows the wall clock when it is ahead', () => {
    expect(tickHlc(at(100, 7), 200)).toBe(at(200, 0))
    expect(tickHlc(initialHlc(NODE_A), 5)).toBe(at(5, 0))
  })

  it('[T5] counts up within one millisecond and when the wall clock goes backwards', () => {
    expect(tickHlc(at(100, 7), 100)).toBe(at(100, 8))
    expect(tickHlc(at(100, 7), 50)).toBe(at(100, 8))
  })

  it('[T5] carries a full counter into the next millisecond', () => {
    expect(tickHlc(at(100, HLC_COUNTER_MAX), 100)).toBe(at(101, 0))
  })

  it('[T5] keeps the clock\'s own node', () => {
    expect(parseHlc(tickHlc(at(1, 0, NODE_B), 9)).node).toBe(NODE_B)
  })
})

describe('[T5] receiveHlc', () => {
  it('[T5] goes past a remote timestamp ahead of the local clock and wall clock', () => {
    expect(receiveHlc(at(100, 3), at(500, 9, NODE_B), 200)).toBe(at(500, 10))
  })

  it('[T5] takes the larger counter when local and remote share the millisecond', () => {
    expect(receiveHlc(at(500, 3), at(500, 9, NODE_B), 200)).toBe(at(500, 10))
    expect(receiveHlc(at(500, 12), at(500, 9, NODE_B), 200)).toBe(at(500, 13))
  })

  it('[T5] follows the wall clock when it is ahead of both', () => {
    expect(receiveHlc(at(100, 3), at(150, 9, NODE_B), 200)).toBe(at(200, 0))
  })

  it('[T5] never goes backwards when the remote is behind', () => {
    expect(receiveHlc(at(500, 3), at(100, 9, NODE_B), 200)).toBe(at(500, 4))
  })

  it('[T5] does not adopt a remote timestamp more than a day ahead of the wall clock', () => {
    const now = 1_000_000
    const far = at(now + HLC_MAX_DRIFT_MS + 1, 0, NODE_B)
    expect(receiveHlc(at(now - 10), far, now)).toBe(at(now, 0))
    const near = at(now + HLC_MAX_DRIFT_MS, 0, NODE_B)
    expect(receiveHlc(at(now - 10), near, now)).toBe(at(now + HLC_MAX_DRIFT_MS, 1))
  })

  it('[T5] still goes past a far-ahead remote that the local clock has already passed', () => {
    const now = 1_000_000
    const local = at(now + 2 * HLC_MAX_DRIFT_MS, 5)
    const remote = at(now + 2 * HLC_MAX_DRIFT_MS, 9, NODE_B)
    expect(receiveHlc(local, remote, now)).toBe(at(now + 2 * HLC_MAX_DRIFT_MS, 10))
  })
})

describe('[T5] createHlcClock', () => {
  it('[T5] issues strictly increasing timestamps even when the wall clock stands still or goes back', () => {
    const { clock, time } = manualClock(NODE_A, 1_000)
    const first = clock.now()
    const second = clock.now()
    time.now = 900
    const third = clock.now()
    expect(first < second && second < third).toBe(true)
    expect(clock.peek()).toBe(third)
    expect(clock.node).toBe(NODE_A)
  })

  it('[T5] after receiving, issues timestamps later than what it received', () => {
    const { clock } = manualClock(NODE_A, 1_000)
    clock.receive(at(5_000, 3, NODE_B))
    const next = clock.now()
    expect(next > at(5_000, 3, NODE_B)).toBe(true)
    expect(parseHlc(next).node).toBe(NODE_A)
  })

  it('[T5] ignores values that are not timestamps', () => {
    const { clock } = manualClock(NODE_A, 1_000)
    const before = clock.peek()
    clock.receive('not a timestamp' as Hlc)
    expect(clock.peek()).toBe(before)
  })

  it('[T5] resumes from a persisted timestamp', () => {
    const clock = createHlcClock({ node: NODE_A, wallClock: () => 10, last: at(2_000, 4, NODE_B) })
    expect(clock.now()).toBe(at(2_000, 5, NODE_A))
  })

  it('[T5] refuses a malformed node', () => {
    expect(() => createHlcClock({ node: 'nope' })).toThrow(RangeError)
  })

  it('[T5] uses the real wall clock by default', () => {
    const before = Date.now()
    const stamp = createHlcClock({ node: NODE_A }).now()
    expect(hlcWallMs(stamp)).toBeGreaterThanOrEqual(before)
    expect(hlcWallMs(stamp)).toBeLessThanOrEqual(Date.now())
  })
})
