import { afterAll, beforeAll, describe, it } from 'vitest'
import { TRACE_NAMES } from '../helpers/editingTraces'
import type { RelayProcess } from '../helpers/relayProcess'
import { createPool } from '../helpers/syncClients'
import { replayThroughRelay, replayTimeoutMs } from '../helpers/traceReplay'

/**
 * [L2] The long version of tests/integration/relayTrace.test.ts: every trace replayed whole, all
 * three at once, against a relay with default limits. On the 2-core CI machine (2026-12) each,
 * automerge-paper's 259,778 transactions included, went through in about 36 s.
 */

const WHOLE = Number.MAX_SAFE_INTEGER

describe('[L2] an honest fast writer is never cut off, whole traces', () => {
  const pool = createPool()
  let relay: RelayProcess
  beforeAll(async () => {
    relay = await pool.relay({ env: { LOG_LEVEL: 'info' } })
  })
  afterAll(() => pool.clear())

  it.concurrent.for(TRACE_NAMES)(
    '[L2] %s, whole, as fast as the client can: the reader gets exactly the final content, nobody is closed for good',
    { timeout: replayTimeoutMs(260_000) + 60_000 },
    // Concurrent tests must use their own `expect`, so that each failure is reported on its test.
    async (name, { expect }) => {
      const { seconds, closes } = await replayThroughRelay(pool, relay, name, WHOLE, expect)
      console.log(`[L2] ${name}: whole trace through in ${Math.round(seconds)} s (closes: ${JSON.stringify(closes)})`)
    },
  )
})
