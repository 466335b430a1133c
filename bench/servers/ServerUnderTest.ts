import type { WireDialect } from '../load/dialects'
import type { ServerProcess } from './serverProcess'

export type ServerId = 'peerboard' | 'y-websocket-server' | 'hocuspocus' | 'floor'

export interface StartOptions {
  /** Where the server keeps documents (ignored by servers that keep none). */
  readonly dataDir: string
  /** Extra environment (Peerboard's limits, for instance). */
  readonly env?: Record<string, string>
  /** Event-loop delay histogram in the probe (off for idle measurements). */
  readonly loopProbe?: boolean
}

/** One relay the benchmarks run against: how to start it and how to talk to it. */
export interface ServerUnderTest {
  readonly id: ServerId
  /** Name and version as shown in the report. */
  readonly label: string
  readonly dialect: WireDialect
  /** How it keeps documents across a restart, as shown in the report. */
  readonly persistence: string
  /** Whether it is a floor (does no CRDT work) rather than a relay a group could run. */
  readonly floor: boolean
  start(options: StartOptions): Promise<ServerProcess>
}

export const loopEnv = (options: StartOptions): Record<string, string> => ({
  BENCH_LOOP: options.loopProbe === false ? '0' : '1',
})
