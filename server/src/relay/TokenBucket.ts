/**
 * A token bucket: `ratePerSecond` tokens flow in, up to `capacity`; `take(n)` spends them. Time
 * is passed in (milliseconds) so that tests need no clock.
 */
export class TokenBucket {
  readonly #rate: number
  readonly #capacity: number
  #tokens: number
  #at: number

  constructor(ratePerSecond: number, capacity: number, nowMs: number) {
    this.#rate = ratePerSecond
    this.#capacity = capacity
    this.#tokens = capacity
    this.#at = nowMs
  }

  #refill(nowMs: number): void {
    if (nowMs > this.#at) {
      this.#tokens = Math.min(this.#capacity, this.#tokens + ((nowMs - this.#at) / 1000) * this.#rate)
      this.#at = nowMs
    }
  }

  /** How many ms until `n` tokens are there (0: now); spends nothing. */
  waitFor(n: number, nowMs: number): number {
    this.#refill(nowMs)
    return this.#tokens >= n ? 0 : Math.ceil(((n - this.#tokens) / this.#rate) * 1000)
  }

  /** Spends `n` tokens. Returns 0 when they were there, else how many ms until the debt is repaid. */
  take(n: number, nowMs: number): number {
    this.#refill(nowMs)
    this.#tokens -= n
    return this.#tokens >= 0 ? 0 : Math.ceil((-this.#tokens / this.#rate) * 1000)
  }
}
