import { describe, expect, it } from 'vitest'
import { TokenBucket } from '../../server/src/relay/TokenBucket'

describe('[L2] token bucket', () => {
  it('[L2] spends up to its capacity at once, then says how long until the debt is repaid', () => {
    const bucket = new TokenBucket(10, 20, 0)
    for (let i = 0; i < 20; i++) expect(bucket.take(1, 0)).toBe(0)
    expect(bucket.take(1, 0)).toBe(100)
    expect(bucket.take(4, 0)).toBe(500)
  })

  it('[L2] refills at its rate, never above capacity', () => {
    const bucket = new TokenBucket(10, 20, 0)
    expect(bucket.take(20, 0)).toBe(0)
    expect(bucket.take(5, 500)).toBe(0)
    expect(bucket.take(1, 500)).toBe(100)
    // A long pause fills it only to capacity.
    const idle = new TokenBucket(10, 20, 0)
    expect(idle.take(20, 1_000_000)).toBe(0)
    expect(idle.take(1, 1_000_000)).toBe(100)
  })
})
