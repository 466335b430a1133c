import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DIGITS, isOrderKey, keyBetween, keysBetween, midpoint } from '../../shared/src'
import { pick, seededRandom } from '../helpers/prng'

const NON_ZERO = DIGITS.slice(1)

/** A valid key of up to 24 digits. */
const anyKey = fc
  .tuple(fc.string({ unit: fc.constantFrom(...DIGITS), maxLength: 23 }), fc.constantFrom(...NON_ZERO))
  .map(([body, last]) => body + last)

/** Two valid keys a < b, often close together: b extends a, or they differ in one late digit. */
const keyPair: fc.Arbitrary<readonly [string, string]> = fc
  .oneof(
    fc.tuple(anyKey, anyKey),
    fc.tuple(anyKey, anyKey).map(([a, suffix]) => [a, a + suffix] as const),
    fc
      .tuple(anyKey, fc.nat({ max: 60 }), anyKey, anyKey)
      .map(([prefix, d, x, y]) => [prefix + DIGITS.charAt(d) + x, prefix + DIGITS.charAt(d + 1) + y] as const),
  )
  .filter(([a, b]) => a !== b)
  .map(([a, b]): readonly [string, string] => (a < b ? [a, b] : [b, a]))

const gap = fc.oneof(
  keyPair.map(([a, b]) => [a, b] as const),
  anyKey.map((b) => [null, b] as const),
  anyKey.map((a) => [a, null] as const),
  fc.constant([null, null] as const),
)

const expectBetween = (key: string, a: string | null, b: string | null): void => {
  expect(isOrderKey(key), key).toBe(true)
  if (a !== null) expect(key > a, `${key} > ${a}`).toBe(true)
  if (b !== null) expect(key < b, `${key} < ${b}`).toBe(true)
}

describe('[K1] keyBetween is strictly between and valid for any valid a < b', () => {
  it('[K1] for arbitrary valid keys, close or far apart, and open ends', () => {
    fc.assert(
      fc.property(gap, fc.integer(), fc.nat({ max: 5 }), ([a, b], seed, jitterDigits) => {
        const random = seededRandom(seed)
        expectBetween(keyBetween(a, b, random, jitterDigits), a, b)
        expectBetween(keyBetween(a, b, random), a, b)
        expectBetween(midpoint(a ?? '', b), a, b)
      }),
      { numRuns: 2000 },
    )
  })

  it('[K1] for keys made by keysBetween chains, inserted into random gaps', () => {
    fc.assert(
      fc.property(fc.integer(), fc.nat({ max: 8 }), fc.integer({ min: 1, max: 120 }), (seed, initial, inserts) => {
        const random = seededRandom(seed)
        const keys = keysBetween(null, null, initial, random)
        for (let i = 0; i < inserts; i++) {
          // Favour a few gaps so that some of them get tight.
          const at = random() < 0.5 ? pick(random, Math.min(2, keys.length + 1)) : pick(random, keys.length + 1)
          const a = keys[at - 1] ?? null
          const b = keys[at] ?? null
          const count = 1 + pick(random, 3)
          const fresh = keysBetween(a, b, count, random)
          let previous = a
          for (const key of fresh) {
            expectBetween(key, previous, b)
            previous = key
          }
          keys.splice(at, 0, ...fresh)
        }
        for (let i = 1; i < keys.length; i++) expect(keys[i - 1]! < keys[i]!).toBe(true)
      }),
      { numRuns: 300 },
    )
  })

  it('[K1] midpoint is deterministic', () => {
    fc.assert(
      fc.property(gap, ([a, b]) => {
        expect(midpoint(a ?? '', b)).toBe(midpoint(a ?? '', b))
      }),
    )
  })

  it('[K1] a gap that is not a < b is refused', () => {
    fc.assert(
      fc.property(keyPair, fc.boolean(), ([a, b], equal) => {
        const [low, high] = equal ? [a, a] : [b, a]
        expect(() => keyBetween(low, high, Math.random)).toThrow(RangeError)
        expect(() => midpoint(low, high)).toThrow(RangeError)
      }),
    )
  })
})
