/** Small statistics over samples. */

export interface Distribution {
  readonly count: number
  readonly p50: number
  readonly p99: number
  readonly max: number
}

/** p50, p99 and max of `samples` (nearest-rank); NaN for no samples. */
export const distribution = (samples: readonly number[]): Distribution => {
  if (samples.length === 0) return { count: 0, p50: NaN, p99: NaN, max: NaN }
  const sorted = Float64Array.from(samples).sort()
  const rank = (p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number
  return { count: sorted.length, p50: rank(50), p99: rank(99), max: sorted[sorted.length - 1] as number }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Resolves when `check` is true; rejects after `timeoutMs` with `what` in the message. */
export const until = async (what: string, check: () => boolean, timeoutMs: number, everyMs = 20): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(everyMs)
  }
}
