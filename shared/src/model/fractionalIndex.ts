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
const KEY_PATTERN = /^[0-9A-Za-z]*[1-9A-Za-z]$/

export const isOrderKey = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= 256 && KEY_PATTERN.test(value)

const digitAt = (s: string, i: number): number => (i < s.length ? DIGITS.indexOf(s[i] as string) : 0)

/**
 * The shortest-ish key strictly between `a` and `b` ("" stands for 0, null for 1), with no
 * randomness. Requires a < b when both are given.
 */
export const midpoint = (a: string, b: string | null): string => {
  if (b !== null && a >= b) throw new RangeError(`midpoint: ${a} is not below ${b}`)
  let prefix = ''
  let i = 0
  // Skip the digits a and b share; a is padded with zeros.
  if (b !== null) {
    while (i < b.length && digitAt(a, i) === digitAt(b, i)) {
      prefix += b[i]
      i++
    }
  }
  for (;;) {
    const da = digitAt(a, i)
    const db = b === null || i >= b.length ? DIGITS.length : digitAt(b, i)
    if (db - da > 1) return prefix + DIGITS[(da + db) >> 1]
    // Adjacent digits: keep a's digit here and look for room further right, below 1.
    prefix += DIGITS[da]
    i++
    if (b !== null && db !== DIGITS.length && db - da === 1) {
      // From here on b no longer bounds us (we are already below it), only a does.
      b = null
    }
  }
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
