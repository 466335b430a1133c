import type { RelayObserver } from '../relay/RelayObserver'
import type { RelayMetrics } from './metrics'

/** Feeds what the relay reports into its Prometheus metrics. */
export const metricsObserver = (metrics: RelayMetrics): RelayObserver => ({
  connectionOpened: () => {
    metrics.connectionsTotal.inc()
    metrics.connections.inc()
  },
  connectionClosed: () => metrics.connections.dec(),
  roomsInMemory: (count) => metrics.rooms.set(count),
  messageIn: (bytes) => {
    metrics.messagesIn.inc()
    metrics.bytesIn.inc(bytes)
  },
  updateIn: () => metrics.updatesIn.inc(),
  messageOut: (bytes) => {
    metrics.messagesOut.inc()
    metrics.bytesOut.inc(bytes)
  },
  rejected: (reason) => metrics.rejections.inc(reason),
  compacted: () => metrics.compactions.inc(),
  persisted: (seconds) => metrics.persistSeconds.observe(seconds),
  roomRebuilt: () => metrics.roomRebuilds.inc(),
  storageDamaged: (count) => metrics.storageDamagedRows.inc(count),
})
