import * as decoding from 'lib0/decoding'

/**
 * The entries of a y-protocols awareness update, read completely before anything is applied:
 * `varUint(count) · count × (varUint(clientId) · varUint(clock) · varString(JSON state))`, where
 * the state `null` removes a client's presence.
 */
export interface AwarenessEntry {
  readonly clientId: number
  readonly clock: number
  /** The state as sent (JSON text); `'null'` for a removal. */
  readonly json: string
  /** The state, parsed once (null for a removal). */
  readonly state: unknown
  readonly removal: boolean
}

/** Reads every entry; throws if the update is truncated or a state is not JSON. */
export const readAwarenessEntries = (update: Uint8Array): AwarenessEntry[] => {
  const decoder = decoding.createDecoder(update)
  const count = decoding.readVarUint(decoder)
  const entries: AwarenessEntry[] = []
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder)
    const clock = decoding.readVarUint(decoder)
    const json = decoding.readVarString(decoder)
    const state: unknown = JSON.parse(json)
    entries.push({ clientId, clock, json, state, removal: state === null })
  }
  return entries
}
