import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/**
 * How each server under test spells the y-websocket protocol on the wire, so that one load
 * generator speaks to all of them. Frames inside the generator are always plain y-websocket frames
 * (`varUint(type) · payload`); a dialect adds and removes what its server puts around them.
 */
export interface WireDialect {
  /** The socket URL for `room`. */
  url(port: number, room: string): string
  /** Frames a client sends as soon as its socket opens (before its SyncStep1). */
  greeting(room: string): Uint8Array[]
  /** A y-websocket frame as this server expects it in `room`. */
  wrap(room: string, frame: Uint8Array): Uint8Array
  /** The y-websocket frame inside an inbound frame. */
  unwrap(data: Uint8Array): Uint8Array
}

/** One socket per room, the room in the path (y-websocket, the floor, and Peerboard with a token). */
export const pathDialect = (path: (room: string) => string): WireDialect => ({
  url: (port, room) => `ws://127.0.0.1:${port}${path(room)}`,
  greeting: () => [],
  wrap: (_room, frame) => frame,
  unwrap: (data) => data,
})

/** Hocuspocus message type of an authentication frame, and its Token sub-type. */
const HOCUSPOCUS_AUTH = 2
const HOCUSPOCUS_AUTH_TOKEN = 0

/**
 * Hocuspocus multiplexes documents over one socket: every frame starts with
 * `varString(documentName)`, and a document is served only after an authentication frame
 * `name · 2 · 0 · varString(token)` (sent even without an onAuthenticate hook; this is what the
 * provider's attach() does).
 */
export const hocuspocusDialect: WireDialect = {
  url: (port) => `ws://127.0.0.1:${port}/`,
  greeting: (room) => {
    const encoder = encoding.createEncoder()
    encoding.writeVarString(encoder, room)
    encoding.writeVarUint(encoder, HOCUSPOCUS_AUTH)
    encoding.writeVarUint(encoder, HOCUSPOCUS_AUTH_TOKEN)
    encoding.writeVarString(encoder, '')
    return [encoding.toUint8Array(encoder)]
  },
  wrap: (room, frame) => {
    const encoder = encoding.createEncoder()
    encoding.writeVarString(encoder, room)
    encoding.writeUint8Array(encoder, frame)
    return encoding.toUint8Array(encoder)
  },
  unwrap: (data) => {
    const decoder = decoding.createDecoder(data)
    decoding.readVarString(decoder)
    return data.subarray(decoder.pos)
  },
}
