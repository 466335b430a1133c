import { monitorEventLoopDelay } from 'node:perf_hooks'

/**
 * Preloaded (`node --import`) into every server under test, so that each is measured the same way
 * without touching its code. On SIGUSR2 it runs a full garbage collection when `--expose-gc` is on,
 * then prints one line to stderr:
 * `BENCH_PROBE {"rss":…,"heapUsed":…,"external":…,"loop":{"p50":…,"p99":…,"max":…}}` (bytes, ms)
 * and restarts the event-loop delay histogram (delays beyond the 10 ms sampling interval). BENCH_LOOP=0 turns the histogram off (idle
 * measurements: its timer would wake the process 100 times a second).
 */
const RESOLUTION_MS = 10

const histogram = process.env.BENCH_LOOP === '0' ? null : monitorEventLoopDelay({ resolution: RESOLUTION_MS })
histogram?.enable()

/** Delay beyond the sampling interval itself, in ms. */
const ms = (nanos: number): number => Math.max(0, Math.round((nanos / 1e6 - RESOLUTION_MS) * 100) / 100)

process.on('SIGUSR2', () => {
  const collect = (globalThis as { gc?: () => void }).gc
  collect?.()
  collect?.()
  const usage = process.memoryUsage()
  const loop =
    histogram === null || histogram.count === 0
      ? null
      : { p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max) }
  histogram?.reset()
  process.stderr.write(
    `BENCH_PROBE ${JSON.stringify({ rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external, loop })}\n`,
  )
})
