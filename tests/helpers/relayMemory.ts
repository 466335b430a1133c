import * as encoding from 'lib0/encoding'
import { metricValue } from './metricsText'

/**
 * Memory and pending-state probes for the relay's flood tests (relayFlood.test.ts,
 * relayAwareness.test.ts).
 */

const MiB = 1024 * 1024

/** The relay's resident memory in MiB, from /metrics (`process_resident_memory_bytes`). */
export const relayRssMiB = async (relay: { url: string }): Promise<number> =>
  (await metricValue(relay, 'process_resident_memory_bytes')) / MiB

/**
 * A Yjs update with one struct of `client` at `clock`: a string of `bytes` ASCII characters in the
 * root Y.Text `root`. With nothing of `client` before `clock`, Yjs cannot integrate it and keeps
 * it pending (a clock gap).
 */
export const gapUpdate = (client: number, clock: number, bytes: number, root = 'flood'): Uint8Array => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 1) // one client block
  encoding.writeVarUint(encoder, 1) // one struct
  encoding.writeVarUint(encoder, client)
  encoding.writeVarUint(encoder, clock)
  encoding.writeUint8(encoder, 4) // an Item with string content, no origins: its parent follows
  encoding.writeVarUint(encoder, 1) // the parent is a root type, by name
  encoding.writeVarString(encoder, root)
  encoding.writeVarString(encoder, 'g'.repeat(bytes))
  encoding.writeVarUint(encoder, 0) // no deletes
  return encoding.toUint8Array(encoder)
}

/** A delete set only (no structs): `ranges` deletes of `client` starting at `clock`, each one long, one apart. */
export const gapDeletes = (client: number, clock: number, ranges: number): Uint8Array => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  encoding.writeVarUint(encoder, 1)
  encoding.writeVarUint(encoder, client)
  encoding.writeVarUint(encoder, ranges)
  for (let i = 0; i < ranges; i++) {
    encoding.writeVarUint(encoder, clock + 2 * i)
    encoding.writeVarUint(encoder, 1)
  }
  return encoding.toUint8Array(encoder)
}
