/**
 * A small seeded PRNG (mulberry32): floats in [0, 1), the same sequence for the same seed. Tests
 * pass it as the `random` option of ops so that order keys, and whole simulations, are
 * reproducible from one number.
 */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** An integer in [0, n) drawn from `random`. */
export const pick = (random: () => number, n: number): number => Math.floor(random() * n)

/** A shuffled copy of `items` (Fisher-Yates) drawn from `random`. */
export const shuffled = <T>(random: () => number, items: readonly T[]): T[] => {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = pick(random, i + 1)
    const a = out[i] as T
    out[i] = out[j] as T
    out[j] = a
  }
  return out
}
