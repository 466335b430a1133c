import { describe, expect, it } from 'vitest'
import {
  addProposal,
  DIGITS,
  isOrderKey,
  keyBetween,
  keysBetween,
  midpoint,
  ORDER_KEY_MAX,
  readProposal,
  readProposals,
} from '../../shared/src'
import { ALICE, boardWith, copyOf, must, syncAll } from '../helpers/boards'
import { seededRandom } from '../helpers/prng'

const expectBetween = (key: string, a: string | null, b: string | null): void => {
  expect(isOrderKey(key)).toBe(true)
  if (a !== null) expect(key > a).toBe(true)
  if (b !== null) expect(key < b).toBe(true)
}

/** Gaps worth checking by hand: open ends, adjacent digits, shared prefixes, the top digit. */
const GAPS: ReadonlyArray<readonly [string | null, string | null]> = [
  [null, null],
  [null, '1'],
  [null, '01'],
  [null, '0001'],
  ['z', null],
  ['zzzz', null],
  ['1', '2'],
  ['1', '101'],
  ['1', '11'],
  ['1z', '2'],
  ['y', 'z'],
  ['V', 'V1'],
  ['V', 'V01'],
  ['Vz', 'W'],
  ['Vzzzz', 'W'],
  ['a', 'b1'],
  ['0001', '0002'],
  ['1', 'z'],
]

describe('[K1] order keys', () => {
  it('[K1] keys are base-62 digits ordered by char code', () => {
    expect(DIGITS).toHaveLength(62)
    expect([...DIGITS].sort().join('')).toBe(DIGITS)
  })

  it('[K1] isOrderKey accepts base-62 digits not ending in the zero digit', () => {
    for (const key of ['1', 'V', 'z', '01', 'a0b', 'Zz9', '0'.repeat(ORDER_KEY_MAX - 1) + '1']) expect(isOrderKey(key)).toBe(true)
    for (const key of ['', '0', '00', 'a0', 'a-b', 'a b', 'é', 'A~', '~', '0'.repeat(ORDER_KEY_MAX) + '1']) {
      expect(isOrderKey(key)).toBe(false)
    }
    for (const value of [null, undefined, 1, ['V'], { toString: () => 'V' }]) expect(isOrderKey(value)).toBe(false)
  })

  it('[K1] midpoint is deterministic and strictly between (known answers)', () => {
    expect(midpoint('', null)).toBe('V')
    expect(midpoint('V', null)).toBe('W')
    expect(midpoint('', 'V')).toBe('U')
    expect(midpoint('z', null)).toBe('zV')
    expect(midpoint('', '1')).toBe('0V')
    expect(midpoint('1', '2')).toBe('1V')
    expect(midpoint('1', '3')).toBe('2')
    expect(midpoint('1', '101')).toBe('100V')
    for (const [a, b] of GAPS) expectBetween(midpoint(a ?? '', b), a, b)
  })

  it('[K1] midpoint and keyBetween refuse a gap that is not a < b', () => {
    for (const [a, b] of [
      ['V', 'V'],
      ['W', 'V'],
      ['V1', 'V'],
    ] as const) {
      expect(() => midpoint(a, b)).toThrow(RangeError)
      expect(() => keyBetween(a, b, Math.random)).toThrow(RangeError)
    }
  })

  it('[K1] keyBetween returns a valid key strictly between a and b (null = open end)', () => {
    const random = seededRandom(1)
    for (const [a, b] of GAPS) {
      for (let i = 0; i < 50; i++) expectBetween(keyBetween(a, b, random), a, b)
    }
  })

  it('[K1] keyBetween stays in the gap whatever the random digits, including the extremes', () => {
    const extremes = [() => 0, () => 0.999_999_999, () => 0.5]
    for (const random of extremes) {
      for (const [a, b] of GAPS) expectBetween(keyBetween(a, b, random), a, b)
    }
  })

  it('[K1] keyBetween appends jitterDigits random digits and one non-zero digit to the midpoint', () => {
    const random = seededRandom(4)
    for (const jitterDigits of [0, 1, 3, 6]) {
      const key = keyBetween(null, null, random, jitterDigits)
      expect(key).toHaveLength(1 + jitterDigits + 1)
      expect(key.startsWith('V')).toBe(true)
    }
  })

  it('[K1] keysBetween returns count ascending valid keys inside the gap', () => {
    const random = seededRandom(2)
    for (const [a, b] of GAPS) {
      const keys = keysBetween(a, b, 20, random)
      expect(keys).toHaveLength(20)
      let previous = a
      for (const key of keys) {
        expectBetween(key, previous, b)
        previous = key
      }
    }
    expect(keysBetween(null, null, 0, random)).toEqual([])
  })

  it('[K1] keys stay short when always appending at the end or inserting at the front', () => {
    const random = seededRandom(3)
    let last: string | null = null
    let first: string | null = null
    for (let i = 0; i < 200; i++) {
      last = keyBetween(last, null, random)
      first = keyBetween(null, first, random)
    }
    expect(must(last).length).toBeLessThan(48)
    expect(must(first).length).toBeLessThan(48)
  })

  // A known gap between the rule and the code, kept as an expected failure until it is decided:
  // isOrderKey caps keys at 256 characters, but keyBetween does not, so a key below a valid key
  // of 255 digits comes out 260 long and reads as unordered ([S4]). No key of at most 256 digits
  // exists between two adjacent 256-digit keys, so this needs a design decision, not a patch.
  // Keys grow about one digit per five insertions at the same end of the board, so a board gets
  // there after roughly 1,250 proposals added at the end (or moves to the top); from then on every
  // new proposal is unordered and they sort among themselves by id, i.e. at random.
  it('[K1] a key below a valid 1023-digit key is strictly below it', () => {
    const b = `${'0'.repeat(ORDER_KEY_MAX - 2)}1`
    expect(isOrderKey(b)).toBe(true)
    const key = keyBetween(null, b, seededRandom(1))
    expect(key < b).toBe(true)
  })
})

describe('[K2] keys carry random trailing digits', () => {
  it('[K2] two replicas placing in the same gap at once almost surely get different keys', () => {
    const seen = new Set<string>()
    for (let seed = 0; seed < 2000; seed++) seen.add(keyBetween('V', 'W', seededRandom(seed)))
    expect(seen.size).toBe(2000)
    // The difference comes from the random digits alone: the same random source gives the same key.
    expect(keyBetween('V', 'W', seededRandom(9))).toBe(keyBetween('V', 'W', seededRandom(9)))
  })

  it('[K2] concurrent adds in one gap get different keys, and equal keys still order by id', () => {
    const { doc: origin } = boardWith(['Existing'])
    const a = copyOf(origin)
    const b = copyOf(origin)
    const input = { title: 'Same gap', author: ALICE, authorName: 'Alice', createdAt: 1 }
    const fromA = addProposal(a, input)
    const fromB = addProposal(b, input)
    syncAll(a, b)
    expect(readProposal(a, fromA)?.order).not.toBe(readProposal(a, fromB)?.order)

    const c = copyOf(origin)
    const d = copyOf(origin)
    const fromC = addProposal(c, input, { random: seededRandom(6) })
    const fromD = addProposal(d, input, { random: seededRandom(6) })
    syncAll(c, d)
    expect(readProposal(c, fromC)?.order).toBe(readProposal(c, fromD)?.order)
    expect(readProposals(c).slice(1).map((p) => p.id)).toEqual([fromC, fromD].sort())
    expect(readProposals(d)).toEqual(readProposals(c))
  })
})
