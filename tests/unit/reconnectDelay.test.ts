import { describe, expect, it } from 'vitest'
import { MAX_RECONNECT_DELAY_MS, reconnectDelay } from '../../client/src/collab/reconnectDelay'

describe('[L7] reconnect backoff with jitter', () => {
  it('[L7] doubles from 200 ms and is spread over half to one and a half times that', () => {
    expect(reconnectDelay(1, 0)).toBe(100)
    expect(reconnectDelay(1, 0.999)).toBe(300)
    expect(reconnectDelay(3, 0.5)).toBe(800)
  })

  it('[L7] never waits more than one and a half times the cap', () => {
    for (const attempt of [10, 30, 1000]) {
      expect(reconnectDelay(attempt, 0.999)).toBeLessThanOrEqual(MAX_RECONNECT_DELAY_MS * 1.5)
      expect(reconnectDelay(attempt, 0)).toBe(MAX_RECONNECT_DELAY_MS / 2)
    }
  })

  it('[L7] two clients closed at once come back at different times', () => {
    const delays = new Set(Array.from({ length: 20 }, (_, i) => reconnectDelay(2, i / 20)))
    expect(delays.size).toBe(20)
  })
})
