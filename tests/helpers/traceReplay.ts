import { expect as globalExpect, type ExpectStatic } from 'vitest'
import { loadTrace, replayTrace, traceContent, type TraceName } from './editingTraces'
import { isPolicyCode } from './relayFuzzRun'
import type { RelayProcess } from './relayProcess'
import { freshRoom, waitSynced, type Pool, type SyncClient } from './syncClients'
import { waitFor } from './wait'

/**
 * An editing trace replayed through the relay by an unmodified y-websocket client as fast as it
 * can, read by a second one (relayTrace.test.ts and its long version; SPEC [L2]).
 */

/** Frames per second a relay with default limits reads from one socket, and its burst. */
const DEFAULT_RATE = 200
const DEFAULT_BURST = 2_000

/** Generous: twice the time the default rate needs, plus a minute. */
export const replayTimeoutMs = (txns: number): number => (Math.max(0, txns - DEFAULT_BURST) / DEFAULT_RATE) * 2_000 + 60_000

const permanentCloses = (clients: readonly SyncClient[]): (number | null)[] =>
  clients.flatMap((c) => c.closeCodes).filter((code) => code !== null && isPolicyCode(code))

/**
 * Replays the first `txns` transactions of `name` through a writer; resolves once a reader holds
 * exactly that content, failing at once if either client is closed for good (4400-4499).
 */
export const replayThroughRelay = async (
  pool: Pool,
  relay: RelayProcess,
  name: TraceName,
  txns: number,
  /** The test's own `expect` (required for concurrent tests). */
  expect: ExpectStatic = globalExpect,
): Promise<{ seconds: number; closes: (number | null)[] }> => {
  const trace = loadTrace(name)
  const count = Math.min(txns, trace.txns.length)
  const expected = traceContent(trace, count)
  const room = freshRoom(`l7-${name}`)
  const writer = pool.client(relay, room)
  const reader = pool.client(relay, room)
  await Promise.all([waitSynced(writer), waitSynced(reader)])
  const started = performance.now()
  await replayTrace(trace, count, writer.text)
  expect(writer.text.toString()).toBe(expected)
  await waitFor(
    `${name}: the reader to hold the first ${count} transactions (or a permanent close)`,
    () => reader.text.toString() === expected || permanentCloses([writer, reader]).length > 0,
    replayTimeoutMs(count),
  )
  const closes = [...writer.closeCodes, ...reader.closeCodes]
  expect(
    permanentCloses([writer, reader]),
    `${name}: close codes seen ${JSON.stringify(closes)} (the reader has ${reader.text.length} of ${expected.length} characters)`,
  ).toEqual([])
  expect(reader.text.toString()).toBe(expected)
  return { seconds: (performance.now() - started) / 1000, closes }
}
