import * as awarenessProtocol from 'y-protocols/awareness'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { WebSocket } from 'ws'
import * as Y from 'yjs'
import {
  CLOSE_MALFORMED_MESSAGE,
  CLOSE_UNKNOWN_MESSAGE_TYPE,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  SYNC_STEP_1,
  SYNC_STEP_2,
  SYNC_UPDATE,
} from '../../../shared/src'
import { describeError, type Logger } from '../log'
import type { Room, RoomPeer } from './Room'

/** Thrown by the frame handler to close the socket with a permanent code. */
class ProtocolViolation extends Error {
  readonly code: number
  constructor(code: number, message: string) {
    super(message)
    this.code = code
  }
}

/**
 * One client socket in one room. Every inbound frame is untrusted: it is decoded inside a try, and
 * anything that does not decode closes this socket (with a permanent close code, so the client does
 * not retry it) and never the process.
 */
export class Connection implements RoomPeer {
  readonly awarenessIds = new Set<number>()
  readonly socket: WebSocket
  readonly room: Room
  /** Cleared on every ping, set by the pong; a socket that misses one round is dropped. */
  alive = true
  readonly #log: Logger

  constructor(socket: WebSocket, room: Room, log: Logger) {
    this.socket = socket
    this.room = room
    this.#log = log
  }

  /** Greets the client: our state vector (SyncStep1) and everyone's presence. */
  start(): void {
    const sync = encoding.createEncoder()
    encoding.writeVarUint(sync, MESSAGE_SYNC)
    encoding.writeVarUint(sync, SYNC_STEP_1)
    encoding.writeVarUint8Array(sync, Y.encodeStateVector(this.room.doc))
    this.send(encoding.toUint8Array(sync))
    const states = this.room.awareness.getStates()
    if (states.size > 0) {
      const presence = encoding.createEncoder()
      encoding.writeVarUint(presence, MESSAGE_AWARENESS)
      encoding.writeVarUint8Array(
        presence,
        awarenessProtocol.encodeAwarenessUpdate(this.room.awareness, [...states.keys()]),
      )
      this.send(encoding.toUint8Array(presence))
    }
  }

  send(frame: Uint8Array): void {
    if (this.socket.readyState !== this.socket.OPEN) return
    this.socket.send(frame, (error) => {
      if (error) this.#log.debug('send failed', { room: this.room.name, error: describeError(error) })
    })
  }

  /** Handles one inbound frame. Never throws. */
  receive(data: Uint8Array): void {
    try {
      const reply = this.#handle(data)
      if (reply !== null) this.send(reply)
    } catch (error) {
      const code = error instanceof ProtocolViolation ? error.code : CLOSE_MALFORMED_MESSAGE
      const reason = error instanceof ProtocolViolation ? error.message : 'malformed message'
      this.#log.warn('closing socket after a bad frame', {
        room: this.room.name,
        code,
        reason,
        error: error instanceof ProtocolViolation ? undefined : describeError(error),
      })
      this.close(code, reason)
    }
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) {
      this.socket.close(code, reason)
    }
  }

  #handle(data: Uint8Array): Uint8Array | null {
    const decoder = decoding.createDecoder(data)
    const messageType = decoding.readVarUint(decoder)
    switch (messageType) {
      case MESSAGE_SYNC:
        return this.#handleSync(decoder)
      case MESSAGE_AWARENESS: {
        const update = decoding.readVarUint8Array(decoder)
        awarenessProtocol.applyAwarenessUpdate(this.room.awareness, update, this)
        return null
      }
      case MESSAGE_QUERY_AWARENESS: {
        const encoder = encoding.createEncoder()
        encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
        encoding.writeVarUint8Array(
          encoder,
          awarenessProtocol.encodeAwarenessUpdate(this.room.awareness, [
            ...this.room.awareness.getStates().keys(),
          ]),
        )
        return encoding.toUint8Array(encoder)
      }
      default:
        throw new ProtocolViolation(CLOSE_UNKNOWN_MESSAGE_TYPE, `unknown message type ${messageType}`)
    }
  }

  #handleSync(decoder: decoding.Decoder): Uint8Array | null {
    const syncType = decoding.readVarUint(decoder)
    const payload = decoding.readVarUint8Array(decoder)
    switch (syncType) {
      case SYNC_STEP_1: {
        // The client's state vector: answer with exactly what it is missing.
        const encoder = encoding.createEncoder()
        encoding.writeVarUint(encoder, MESSAGE_SYNC)
        encoding.writeVarUint(encoder, SYNC_STEP_2)
        encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(this.room.doc, payload))
        return encoding.toUint8Array(encoder)
      }
      case SYNC_STEP_2:
      case SYNC_UPDATE:
        // Integrated, persisted and fanned out by the room's update handler.
        Y.applyUpdate(this.room.doc, payload, this)
        return null
      default:
        throw new ProtocolViolation(CLOSE_UNKNOWN_MESSAGE_TYPE, `unknown sync message type ${syncType}`)
    }
  }
}
