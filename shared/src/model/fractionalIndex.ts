/**
 * Fractional index keys: strings that sort between any two others, so that an item can be placed
 * or moved by rewriting only its own key (Yjs has no "move"; delete + insert would duplicate an
 * item moved by two people at once).
 *
 * A key is a base-62 fraction 0.d1d2d3... written as its digits, never empty and never ending in
 * the zero digit, so that between any two distinct keys there is always another. Digits are
 * ordered by char code, so plain string comparison orders keys.
 *
 * Two devices placing an item in the same gap at the same time would compute the same midpoint;
 * `keyBetween` appends random digits so that their keys differ. Readers still break ties on id
 * (SPEC [P3]), so equal keys never make the order ambiguous.
 */

export const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const TOP = DIGITS.length - 1
const HALF = DIGITS.length >> 1
/** Longest valid key. Ops never write a longer one: they re-key the whole list instead (SPEC [K3]). */
export const ORDER_KEY_MAX = 1024
const KEY_PATTERN = /^[0-9A-Za-z]*[1-9A-Za-z]$/

export const isOrderKey = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= ORDER_KEY_MAX && KEY_PATTERN.test(value)

const digitAt = (s: string, i: number): number => (i < s.length ? DIGITS.indexOf(s[i] as string) : 0)
const digit = (d: number): string => DIGITS[d] as string

/**
 * A short key strictly between `a` and `b` ("" stands for 0, null for 1), with no randomness.
 * Requires a < b when both are given.
 *
 * Appending (no upper bound) steps the first digit up by one and prepending (no lower bound) steps
 * it down by one, so a list built by appending or prepending grows its keys by one digit only every
 * ~30 items; inserting between two keys halves the gap.
 */
export const midpoint = (a: string, b: string | null): string => {
  if (b !== null && a >= b) throw new RangeError(`midpoint: ${a} is not below ${b}`)
  let i = 0
  // Skip the digits a and b share; a is padded with zeros.
  if (b !== null) while (i < b.length && digitAt(a, i) === digitAt(b, i)) i++
  return (b === null ? '' : b.slice(0, i)) + between(a.slice(i), b === null ? null : b.slice(i))
}

/** `a` < `b`, and their first digits differ (a padded with zeros); b null means 1. */
const between = (a: string, b: string | null): string => {
  const da = digitAt(a, 0)
  if (b === null) {
    if (a === '') return digit(HALF)
    if (da < TOP) return digit(da + 1)
    return digit(TOP) + between(a.slice(1), null)
  }
  const db = digitAt(b, 0)
  // Nothing below but zeros: step down, or go one digit deeper under a leading 1.
  if (a === '') return db > 1 ? digit(db - 1) : digit(0) + between('', null)
  if (db - da > 1) return digit((da + db) >> 1)
  // Adjacent digits: keep a's and find room above the rest of a.
  return digit(da) + between(a.slice(1), null)
}

/**
 * A key strictly between `before` and `after` (either may be null for "the start" / "the end"),
 * with `jitterDigits` random digits appended so that concurrent placements in one gap differ.
 * `random` returns a float in [0, 1); it is injected so that simulations are reproducible.
 */
export const keyBetween = (
  before: string | null,
  after: string | null,
  random: () => number,
  jitterDigits = 3,
): string => {
  let low = before ?? ''
  const high = after
  if (high !== null && low >= high) throw new RangeError(`keyBetween: ${low} is not below ${high}`)
  let jitter = ''
  for (let i = 0; i < jitterDigits; i++) jitter += DIGITS[Math.floor(random() * DIGITS.length)]
  jitter += DIGITS[1 + Math.floor(random() * (DIGITS.length - 1))]
  for (;;) {
    const mid = midpoint(low, high)
    const candidate = mid + jitter
    if (high === null || candidate < high) return candidate
    // mid was a prefix of high, so appending could overshoot; narrow the gap and retry.
    low = mid
  }
}

/**
 * `count` ascending keys strictly between `before` and `after`, each placed in the gap left by
 * the previous one.
 */
export const keysBetween = (
  before: string | null,
  after: string | null,
  count: number,
  random: () => number,
): string[] => {
  const keys: string[] = []
  let low = before
  for (let i = 0; i < count; i++) {
    low = keyBetween(low, after, random)
    keys.push(low)
  }
  return keys
}
