import { monitorEventLoopDelay } from 'node:perf_hooks'
import { createRegistry, type Counter, type Gauge, type Histogram, type LabelledCounter } from './prometheus'

/**
 * The relay's metrics, served at `/metrics` for Prometheus (docs/self-hosting.md).
 *
 * Every metric is declared here, once, with a typed handle the relay calls as things happen:
 * sockets admitted and open, rooms in memory, frames and bytes in and out, refusals by reason,
 * compactions, how long each SQLite write takes, and damage found in storage. A few figures are read only when Prometheus
 * scrapes: the event-loop delay (from `monitorEventLoopDelay`, sampled every 10 ms; reported as
 * how late the loop ran beyond those 10 ms, over the time since the previous scrape), the
 * resident memory and the CPU time of the process. No metric carries a room, board or address,
 * so the number of series stays fixed however many rooms and people use the relay.
 */

/** Why the relay refused an upgrade or a frame, or closed a socket (the `reason` label of rejections). */
export const REJECTION_REASONS = [
  'unauthorized',
  'forbidden_origin',
  'bad_room',
  'malformed',
  'unknown_type',
  'too_large',
  'rate_limited',
  'too_many_connections',
  'room_capacity',
  'doc_too_large',
  'awareness_too_large',
  'read_only_write',
  'too_many_pending',
  'over_rate_too_long',
  'pending_too_large',
  'awareness_over_cap',
  'storage_failed',
  'internal_error',
] as const
export type RejectionReason = (typeof REJECTION_REASONS)[number]

/** Upper bounds, in seconds, of the SQLite write latency buckets. */
export const PERSIST_SECONDS_BUCKETS: readonly number[] = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
]

/** The sampling interval of the event-loop delay monitor, in milliseconds. */
export const EVENT_LOOP_RESOLUTION_MS = 10

export interface RelayMetrics {
  /** `peerboard_connections_total`: sockets admitted since start. */
  readonly connectionsTotal: Counter
  /** `peerboard_connections`: sockets open now. */
  readonly connections: Gauge
  /** `peerboard_rooms`: rooms in memory now. */
  readonly rooms: Gauge
  /** `peerboard_updates_in_total`: document updates received and applied. */
  readonly updatesIn: Counter
  /** `peerboard_bytes_in_total`: bytes of frames received. */
  readonly bytesIn: Counter
  /** `peerboard_messages_in_total`: frames received. */
  readonly messagesIn: Counter
  /** `peerboard_bytes_out_total`: bytes of frames sent. */
  readonly bytesOut: Counter
  /** `peerboard_messages_out_total`: frames sent. */
  readonly messagesOut: Counter
  /** `peerboard_rejections_total{reason}`: upgrades refused, frames not applied, sockets closed. */
  readonly rejections: LabelledCounter<RejectionReason>
  /** `peerboard_compactions_total`: room logs compacted into one snapshot. */
  readonly compactions: Counter
  /** `peerboard_persist_seconds`: latency of each SQLite append or replace. */
  readonly persistSeconds: Histogram
  /** `peerboard_room_rebuilds_total`: room docs rebuilt from storage after an update failed to apply. */
  readonly roomRebuilds: Counter
  /** `peerboard_storage_damaged_rows_total`: stored rows found damaged when their room loaded (SPEC [D5]). */
  readonly storageDamagedRows: Counter
  /** `peerboard_storage_wal_lost`: 1 when the relay found at start that a crash lost its WAL (SPEC [D6]). */
  readonly storageWalLost: Gauge
  /** Every metric in the Prometheus text format (version 0.0.4). */
  render(): string
  /** Stops the event-loop monitor; `render` still works (the delay then reads 0). */
  stop(): void
}

export const createMetrics = (): RelayMetrics => {
  const registry = createRegistry()
  const counter = registry.counter
  const gauge = registry.gauge

  const metrics = {
    connectionsTotal: counter('peerboard_connections_total', 'Sockets admitted since the relay started.'),
    connections: gauge('peerboard_connections', 'Sockets open now.'),
    rooms: gauge('peerboard_rooms', 'Rooms in memory now.'),
    updatesIn: counter('peerboard_updates_in_total', 'Document updates received and applied.'),
    bytesIn: counter('peerboard_bytes_in_total', 'Bytes of frames received.'),
    messagesIn: counter('peerboard_messages_in_total', 'Frames received.'),
    bytesOut: counter('peerboard_bytes_out_total', 'Bytes of frames sent.'),
    messagesOut: counter('peerboard_messages_out_total', 'Frames sent.'),
    rejections: registry.labelledCounter(
      'peerboard_rejections_total',
      'Refusals (upgrades refused, frames not applied, sockets closed), by reason.',
      'reason',
      REJECTION_REASONS,
    ),
    compactions: counter('peerboard_compactions_total', 'Room logs compacted into one snapshot.'),
    persistSeconds: registry.histogram(
      'peerboard_persist_seconds',
      'Latency of each SQLite append or replace, in seconds.',
      PERSIST_SECONDS_BUCKETS,
    ),
    roomRebuilds: counter(
      'peerboard_room_rebuilds_total',
      'Room documents rebuilt from storage because an update failed to apply (the update was refused).',
    ),
    storageDamagedRows: counter(
      'peerboard_storage_damaged_rows_total',
      'Stored rows found damaged (checksum mismatch, or not decodable) and left out of their room, each counted once.',
    ),
    storageWalLost: gauge(
      'peerboard_storage_wal_lost',
      '1 when the previous relay did not stop cleanly and its write-ahead log was missing at start; else 0.',
    ),
  }

  const loop = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS })
  loop.enable()
  const resolutionNs = EVENT_LOOP_RESOLUTION_MS * 1e6
  // The monitor records the whole interval between its timer's runs; what is beyond the
  // resolution is the delay. Reset after each scrape so each reading covers one scrape interval.
  registry.collected(
    'peerboard_event_loop_delay_seconds',
    `Event-loop delay beyond the ${EVENT_LOOP_RESOLUTION_MS} ms sampling interval since the previous scrape.`,
    'gauge',
    () => {
      const delay = (ns: number): number => (loop.count === 0 ? 0 : Math.max(0, ns - resolutionNs) / 1e9)
      const samples = [
        { labels: { quantile: '0.5' }, value: delay(loop.percentile(50)) },
        { labels: { quantile: '0.99' }, value: delay(loop.percentile(99)) },
        { labels: { quantile: 'max' }, value: delay(loop.max) },
      ]
      loop.reset()
      return samples
    },
  )
  registry.collected('process_resident_memory_bytes', 'Resident memory size in bytes.', 'gauge', () => [
    { value: process.memoryUsage.rss() },
  ])
  registry.collected('process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.', 'counter', () => {
    const { user, system } = process.cpuUsage()
    return [{ value: (user + system) / 1e6 }]
  })

  return {
    ...metrics,
    render: () => registry.render(),
    stop: () => {
      loop.disable()
      loop.reset()
    },
  }
}
