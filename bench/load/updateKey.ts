import * as decoding from 'lib0/decoding'

/**
 * A key naming a Yjs update (v1 encoding) by its first struct or, for a delete-only update, its
 * first deleted range: `s<client>:<clock>` or `d<client>:<clock>`. Relays re-encode what they
 * broadcast, but a keystroke's update keeps its client and clock, so the load generator can match
 * what an observer receives with when the writer sent it without decoding a Y.Doc.
 */
export const updateKey = (update: Uint8Array): string | null => {
  try {
    const decoder = decoding.createDecoder(update)
    const clients = decoding.readVarUint(decoder)
    if (clients > 0) {
      decoding.readVarUint(decoder) // number of structs
      const client = decoding.readVarUint(decoder)
      return `s${client}:${decoding.readVarUint(decoder)}`
    }
    const deleteClients = decoding.readVarUint(decoder)
    if (deleteClients === 0) return null
    const client = decoding.readVarUint(decoder)
    const ranges = decoding.readVarUint(decoder)
    if (ranges === 0) return null
    return `d${client}:${decoding.readVarUint(decoder)}`
  } catch {
    return null
  }
}
