import { afterAll, describe, expect, it } from 'vitest'
import { AllowedContent } from '../helpers/allowedContent'
import { recordSession } from '../helpers/frameRecorder'
import type { RelayProcess } from '../helpers/relayProcess'
import { checkStoredRoom, converged, fuzzRound, honestRoom, type FuzzedRoom, type HonestRoom } from '../helpers/relayFuzzRun'
import { createPool, freshRoom, type SyncClient } from '../helpers/syncClients'

/**
 * [Y6] The long version of tests/integration/relayFuzz.test.ts: PEERBOARD_FUZZ_FRAMES decoded
 * frames (default 1,000,000), in rounds of 5,000 (one fresh room each, its own honest clients and
 * fuzz seed), four rooms at a time, while another room is edited throughout. Every 40 rounds the
 * relay is restarted (SIGTERM) on the same DATA_DIR and every room stored since is checked. About
 * 45-60 minutes on two cores.
 *
 * A seed that fails here is listed at the end: add it to FUZZ_SEEDS (or as a named regression) in
 * tests/integration/relayFuzz.test.ts.
 */

const FRAMES = Number(process.env.PEERBOARD_FUZZ_FRAMES ?? 1_000_000)
const ROUND_FRAMES = 5_000
const WORKERS = 4
const ROUNDS_PER_RESTART = 40
const FIRST_SEED = 1_000
const ENV = {
  RATE_MESSAGES_PER_SECOND: '1000000',
  RATE_BYTES_PER_SECOND: String(1024 * 1024 * 1024),
  AWARENESS_PER_SECOND: '100000',
  // A million frames would make a few hundred MB of warnings; errors are what is checked.
  LOG_LEVEL: 'error',
}

describe('[Y6] the relay against a seeded frame fuzzer, long', () => {
  const pool = createPool()
  const relays = createPool()
  afterAll(async () => {
    await pool.clear()
    await relays.clear()
  })

  it(`[Y6] ${FRAMES} mutated frames, restarts every ${ROUNDS_PER_RESTART} rounds: no failing seed`, async () => {
    const recording = recordSession(1, 300)
    const rounds = Math.ceil(FRAMES / ROUND_FRAMES)
    const failures: string[] = []
    let decoded = 0
    let relay: RelayProcess = await relays.relay({ env: ENV })
    let next = 0
    while (next < rounds) {
      const batch = Array.from({ length: Math.min(ROUNDS_PER_RESTART, rounds - next) }, (_, i) => FIRST_SEED + next + i)
      next += batch.length
      const stored: FuzzedRoom[] = []
      const other: HonestRoom = await honestRoom(pool, relay, freshRoom('fuzz-long-other'), next)
      const queue = [...batch]
      await Promise.all(
        Array.from({ length: WORKERS }, async () => {
          for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) {
            try {
              const round = await fuzzRound(pool, relay, recording, seed, ROUND_FRAMES)
              decoded += round.fuzz.decoded
              stored.push(round.stored)
              const problems = [...round.honestClosed, ...round.fuzz.otherCloses.slice(0, 2), ...round.problems.slice(0, 2)]
              if (problems.length > 0) failures.push(`seed ${seed}: ${problems.join('; ')}`)
            } catch (error) {
              failures.push(`seed ${seed}: ${String(error).split('\n').slice(0, 3).join(' ')}`)
            }
            if (relay.child.exitCode !== null) throw new Error(`the relay exited (${relay.child.exitCode}) during seed ${seed}`)
          }
        }),
      )
      other.stop()
      const otherExpected = await converged(other.clients, 'the other room')
      const otherAllowed = new AllowedContent()
      for (const update of other.locals) otherAllowed.add(update)
      stored.push({ room: other.room, expected: otherExpected, allowed: otherAllowed })
      for (const client of other.clients) (client as SyncClient).destroy()

      expect(await relay.stop('SIGTERM')).toBe(0)
      const errors = relay.output().split('\n').filter((line) => line.includes('"level":"error"'))
      if (errors.length > 0) failures.push(`rounds up to seed ${batch.at(-1)}: the relay logged errors: ${errors.slice(0, 3).join(' | ')}`)
      relay = await relays.relay({ dataDir: relay.dataDir, env: ENV })
      for (const room of stored) {
        const result = await checkStoredRoom(pool, relay, room)
        if (result.difference !== null || result.problems.length > 0) {
          failures.push(`${room.room} after a restart: ${result.difference ?? ''} ${result.problems.slice(0, 2).join('; ')}`)
        }
      }
      console.log(`[Y6] long fuzz: ${next} of ${rounds} rounds, ${decoded} frames decoded, ${failures.length} failures`)
    }
    expect(failures).toEqual([])
    expect(decoded).toBeGreaterThanOrEqual(FRAMES * 0.99)
  }, 4 * 3600_000)
})
