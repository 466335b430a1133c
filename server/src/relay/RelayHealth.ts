/** How many problems `/healthz` lists; the rest are counted (every one is in the log). */
const MAX_LISTED = 20

/**
 * What `/healthz` says about the relay beyond "it answers": problems seen since start that an
 * operator must act on (damaged stored rows, a WAL lost in a crash; SPEC [D5], [D6]). Once one is
 * reported the relay is "degraded" until it restarts. It still answers HTTP 200: one damaged room
 * must not make a load balancer take the whole relay, and every other room, out of service.
 */
export class RelayHealth {
  readonly #problems: string[] = []
  #unlisted = 0

  /** Records a problem (one line, no document content). */
  report(problem: string): void {
    if (this.#problems.length < MAX_LISTED) this.#problems.push(problem)
    else this.#unlisted++
  }

  get status(): 'ok' | 'degraded' {
    return this.#problems.length === 0 ? 'ok' : 'degraded'
  }

  /** The problems reported so far, oldest first; the last line counts those not listed. */
  get problems(): readonly string[] {
    if (this.#unlisted === 0) return [...this.#problems]
    return [...this.#problems, `and ${this.#unlisted} more problems (see the relay's log)`]
  }
}
