import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'

/**
 * Frames of the relay's wire protocol built by hand for raw sockets (shared/src/protocol/messages.ts):
 * sync updates, awareness, and Peerboard's SAVED_SUBSCRIBE (100) / SAVED (101) (SPEC [D2]).
 */

export const SAVED_SUBSCRIBE = 100
export const SAVED = 101
/** query-awareness: empty, answered with an awareness frame; handy as an in-order "ping". */
export const QUERY_AWARENESS: readonly number[] = [3]

/** `0 · 2 · varUint8Array(update)`: a sync Update. */
export const updateFrame = (update: Uint8Array): Uint8Array => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  encoding.writeVarUint(encoder, 2)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** `1 · varUint8Array(awareness update)`. */
export const awarenessFrame = (update: Uint8Array): Uint8Array => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 1)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** An awareness update announcing `state` for a fresh client id; returns the id too. */
export const awarenessUpdateOf = (state: Record<string, unknown>): { clientId: number; update: Uint8Array } => {
  const doc = new Y.Doc()
  const awareness = new awarenessProtocol.Awareness(doc)
  awareness.setLocalState(state)
  const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID])
  awareness.destroy()
  doc.destroy()
  return { clientId: doc.clientID, update }
}

/** A Yjs update that inserts `text` into `getText('text')` of a fresh doc (its own client id). */
export const textUpdate = (text: string, doc = new Y.Doc()): Uint8Array => {
  const before = Y.encodeStateVector(doc)
  doc.getText('text').insert(doc.getText('text').length, text)
  return Y.encodeStateAsUpdate(doc, before)
}

/** The state vector of a SAVED frame (`101 · varUint8Array(state vector)`), or null for another frame. */
export const readSavedFrame = (frame: Uint8Array): Map<number, number> | null => {
  const decoder = decoding.createDecoder(frame)
  if (decoding.readVarUint(decoder) !== SAVED) return null
  return Y.decodeStateVector(decoding.readVarUint8Array(decoder))
}

/**
 * The client ids where `have` is behind `acked` (clock lower or missing), as `id: have < acked`;
 * empty when `have` dominates `acked`.
 */
export const behind = (have: Map<number, number>, acked: Map<number, number>): string[] =>
  [...acked]
    .filter(([client, clock]) => (have.get(client) ?? 0) < clock)
    .map(([client, clock]) => `${client}: ${have.get(client) ?? 0} < ${clock}`)
