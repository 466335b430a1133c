import { afterAll, beforeAll, describe, it } from 'vitest'
import { TRACE_NAMES } from '../helpers/editingTraces'
import type { RelayProcess } from '../helpers/relayProcess'
import { createPool } from '../helpers/syncClients'
import { replayThroughRelay, replayTimeoutMs } from '../helpers/traceReplay'

/**
 * [L2] Flow control, not expulsion: an honest writer that types faster than the relay's rate is
 * slowed down (the relay stops reading its socket), never closed with a permanent code. An
 * unmodified y-websocket client replays an editing trace as fast as it can (one update, so one
 * frame, per trace transaction) against a relay with its DEFAULT limits (200 messages per second,
 * bursts of 10 s); a second client must end with exactly the trace's content, and neither may ever
 * see a close code in 4400-4499. A retryable close is allowed: y-websocket reconnects and resyncs.
 *
 * At 200 frames per second, a whole trace takes minutes (automerge-paper: 259,778 frames, over 21
 * minutes), so `npm test` replays the first PEERBOARD_TRACE_TXNS transactions of each (default
 * 8,000: ~2,000 in the burst, then ~30 s at the rate; the three run at once), and
 * tests/long/relayTrace.long.test.ts replays every trace whole.
 */

const TXNS = Number(process.env.PEERBOARD_TRACE_TXNS ?? 8_000)

describe('[L2] an honest fast writer is never cut off', () => {
  const pool = createPool()
  let relay: RelayProcess
  beforeAll(async () => {
    relay = await pool.relay()
  })
  afterAll(() => pool.clear())

  it.concurrent.for(TRACE_NAMES)(
    `[L2] %s, first ${TXNS} transactions as fast as the client can: the reader gets exactly that, nobody is closed for good`,
    { timeout: replayTimeoutMs(TXNS) + 30_000 },
    // Concurrent tests must use their own `expect`, so that each failure is reported on its test.
    async (name, { expect }) => {
      const { seconds, closes } = await replayThroughRelay(pool, relay, name, TXNS, expect)
      console.log(`[L2] ${name}: ${TXNS} transactions through in ${Math.round(seconds)} s (closes: ${JSON.stringify(closes)})`)
    },
  )
})
