import { describe, expect, it } from 'vitest'
import { seededRandom } from '../helpers/prng'
import { runTrustSim } from '../helpers/trustSim'

/**
 * The long run of the trust-layer simulation (tests/property/trustReplicas.test.ts): 10,000 seeds
 * of 60 steps, in chunks so that a failure names its seed. A seed that fails here becomes a named
 * regression in the short suite.
 */
const SEEDS = 10_000
const CHUNK = 500
const STEPS = 60

describe('trust layer under a Byzantine replica, 10,000 seeds', () => {
  for (let start = 1; start <= SEEDS; start += CHUNK) {
    it(`[J6] seeds ${start}-${start + CHUNK - 1}: honest replicas agree`, () => {
      const failed: number[] = []
      for (let seed = start; seed < start + CHUNK; seed++) {
        const { views } = runTrustSim(seed, seededRandom(seed), STEPS)
        if (!views.every((v) => v === views[0])) failed.push(seed)
      }
      expect(failed).toEqual([])
    })
  }
})
