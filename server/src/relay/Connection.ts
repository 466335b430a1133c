import * as awarenessProtocol from 'y-protocols/awareness'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { WebSocket } from 'ws'
import {
  CLOSE_AWARENESS_TOO_LARGE,
  CLOSE_DOC_TOO_LARGE,
  CLOSE_MALFORMED_MESSAGE,
  CLOSE_MESSAGE_TOO_LARGE,
  CLOSE_RATE_LIMITED,
  CLOSE_UNKNOWN_MESSAGE_TYPE,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SAVED,
  MESSAGE_SAVED_SUBSCRIBE,
  MESSAGE_SYNC,
  SYNC_STEP_1,
  SYNC_STEP_2,
  SYNC_UPDATE,
} from '../../../shared/src'
import type { Scope } from '../access/tokens'
import { describeError, type Logger } from '../log'
import type { RejectionReason, RelayObserver } from './RelayObserver'
import type { Room, RoomPeer } from './Room'
import { TokenBucket } from './TokenBucket'

/** Per-socket limits (SPEC [L1], [L2], [L5], [L6]). */
export interface ConnectionLimits {
  readonly maxMessageBytes: number
  readonly rateMessagesPerSecond: number
  readonly rateBytesPerSecond: number
  readonly rateBurstSeconds: number
  readonly rateStrikes: number
  readonly maxDocBytes: number
  readonly maxAwarenessBytes: number
  readonly awarenessPerSecond: number
}

const STRIKE_WINDOW_MS = 10_000

/** Thrown by the frame handler to close the socket with a permanent code. */
class ProtocolViolation extends Error {
  readonly code: number
  readonly reason: RejectionReason
  constructor(code: number, reason: RejectionReason, message: string) {
    super(message)
    this.code = code
    this.reason = reason
  }
}

/**
 * One client socket in one room. Every inbound frame is untrusted: its size and rate are checked
 * first, it is decoded inside a try, and anything that does not decode or breaks a limit closes
 * this socket with a permanent close code (so the client does not retry it), never the process.
 * A read-only socket is answered and kept up to date, but nothing it writes is applied (SPEC [A4]).
 */
export class Connection implements RoomPeer {
  readonly awarenessIds = new Set<number>()
  readonly socket: WebSocket
  readonly room: Room
  readonly scope: Scope
  /** Cleared on every ping, set by the pong; a socket that misses one round is dropped. */
  alive = true
  /** Asked for SAVED acknowledgements (SPEC [D2]). */
  wantsSaved = false
  readonly #log: Logger
  readonly #limits: ConnectionLimits
  readonly #observer: RelayObserver
  readonly #messages: TokenBucket
  readonly #bytes: TokenBucket
  readonly #awareness: TokenBucket
  #strikes: number[] = []
  #resumeTimer: NodeJS.Timeout | undefined

  constructor(
    socket: WebSocket,
    room: Room,
    scope: Scope,
    limits: ConnectionLimits,
    observer: RelayObserver,
    log: Logger,
  ) {
    this.socket = socket
    this.room = room
    this.scope = scope
    this.#limits = limits
    this.#observer = observer
    this.#log = log
    const now = Date.now()
    this.#messages = new TokenBucket(
      limits.rateMessagesPerSecond,
      limits.rateMessagesPerSecond * limits.rateBurstSeconds,
      now,
    )
    // The byte burst always fits one largest frame, so a big initial sync is not a violation.
    this.#bytes = new TokenBucket(
      limits.rateBytesPerSecond,
      Math.max(limits.rateBytesPerSecond * limits.rateBurstSeconds, limits.maxMessageBytes),
      now,
    )
    this.#awareness = new TokenBucket(
      limits.awarenessPerSecond,
      limits.awarenessPerSecond * limits.rateBurstSeconds,
      now,
    )
  }

  /** Greets the client: our state vector (SyncStep1) and everyone's presence. */
  start(): void {
    const sync = encoding.createEncoder()
    encoding.writeVarUint(sync, MESSAGE_SYNC)
    encoding.writeVarUint(sync, SYNC_STEP_1)
    encoding.writeVarUint8Array(sync, this.room.stateVector())
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
    this.#observer.messageOut(frame.byteLength)
    this.socket.send(frame, (error) => {
      if (error) this.#log.debug('send failed', { room: this.room.name, error: describeError(error) })
    })
  }

  /** Tells the client what the relay has durably stored (only if it asked). */
  sendSaved(stateVector: Uint8Array): void {
    if (!this.wantsSaved) return
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_SAVED)
    encoding.writeVarUint8Array(encoder, stateVector)
    this.send(encoding.toUint8Array(encoder))
  }

  /** Handles one inbound frame. Never throws. */
  receive(data: Uint8Array): void {
    // Once the relay has decided to close this socket, what is still in flight is dropped: not
    // applied, and not logged or counted again frame after frame.
    if (this.socket.readyState !== this.socket.OPEN) return
    try {
      this.#observer.messageIn(data.byteLength)
      if (data.byteLength > this.#limits.maxMessageBytes) {
        throw new ProtocolViolation(CLOSE_MESSAGE_TOO_LARGE, 'too_large', 'message too large')
      }
      this.#throttle(this.#messages.take(1, Date.now()), this.#bytes.take(data.byteLength, Date.now()))
      const reply = this.#handle(data)
      if (reply !== null) this.send(reply)
    } catch (error) {
      const violation =
        error instanceof ProtocolViolation
          ? error
          : new ProtocolViolation(CLOSE_MALFORMED_MESSAGE, 'malformed', 'malformed message')
      this.#observer.rejected(violation.reason)
      this.#log.warn('closing socket', {
        room: this.room.name,
        code: violation.code,
        reason: violation.message,
        error: error instanceof ProtocolViolation ? undefined : describeError(error),
      })
      this.close(violation.code, violation.message)
    }
  }

  close(code: number, reason: string): void {
    clearTimeout(this.#resumeTimer)
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) {
      this.socket.close(code, reason)
      // A throttled socket is paused: resume it so the client's close reply is read and the
      // closing handshake completes now, not at ws's 30 s close timeout (frames are dropped above).
      this.socket.resume()
    }
  }

  /**
   * A socket over its rate is throttled: reading pauses until its buckets refill (TCP pushes back
   * on the sender). One that is throttled `rateStrikes` times within 10 s is closed (SPEC [L2]).
   */
  #throttle(...waits: number[]): void {
    const wait = Math.max(...waits)
    if (wait === 0) return
    const now = Date.now()
    this.#strikes = this.#strikes.filter((at) => now - at < STRIKE_WINDOW_MS)
    this.#strikes.push(now)
    if (this.#strikes.length >= this.#limits.rateStrikes) {
      throw new ProtocolViolation(CLOSE_RATE_LIMITED, 'rate_limited', 'rate limit exceeded')
    }
    this.#observer.rejected('rate_limited')
    this.socket.pause()
    clearTimeout(this.#resumeTimer)
    this.#resumeTimer = setTimeout(() => this.socket.resume(), Math.min(wait, STRIKE_WINDOW_MS))
  }

  #handle(data: Uint8Array): Uint8Array | null {
    const decoder = decoding.createDecoder(data)
    const messageType = decoding.readVarUint(decoder)
    switch (messageType) {
      case MESSAGE_SYNC:
        return this.#handleSync(decoder)
      case MESSAGE_AWARENESS: {
        const update = decoding.readVarUint8Array(decoder)
        if (update.byteLength > this.#limits.maxAwarenessBytes) {
          throw new ProtocolViolation(CLOSE_AWARENESS_TOO_LARGE, 'awareness_too_large', 'awareness too large')
        }
        // y-websocket re-sends every awareness change it applies, so each provider echoes the
        // presence of everyone else in the room. Only frames that bring news (what
        // applyAwarenessUpdate would apply) count against this socket's rate: echoes change
        // nothing, are not relayed, and must not get a busy room's members closed.
        if (this.#bringsNews(update) && this.#awareness.take(1, Date.now()) > 0) {
          throw new ProtocolViolation(CLOSE_RATE_LIMITED, 'rate_limited', 'awareness rate exceeded')
        }
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
      case MESSAGE_SAVED_SUBSCRIBE: {
        this.wantsSaved = true
        this.sendSaved(this.room.savedStateVector())
        return null
      }
      default:
        throw new ProtocolViolation(CLOSE_UNKNOWN_MESSAGE_TYPE, 'unknown_type', `unknown message type ${messageType}`)
    }
  }

  /** Whether an awareness update has an entry the room's awareness would apply (a newer clock). */
  #bringsNews(update: Uint8Array): boolean {
    const decoder = decoding.createDecoder(update)
    const meta = this.room.awareness.meta
    const count = decoding.readVarUint(decoder)
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder)
      const clock = decoding.readVarUint(decoder)
      const removal = decoding.readVarString(decoder) === 'null'
      const known = meta.get(clientId)?.clock ?? 0
      if (known < clock || (known === clock && removal && this.room.awareness.states.has(clientId))) return true
    }
    return false
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
        encoding.writeVarUint8Array(encoder, this.room.missingFrom(payload))
        return encoding.toUint8Array(encoder)
      }
      case SYNC_STEP_2:
      case SYNC_UPDATE:
        if (this.scope === 'ro') {
          // Normal for a read-only client (its SyncStep2 answers ours); nothing from it is kept.
          if (payload.byteLength > 2) this.#observer.rejected('read_only_write')
          return null
        }
        if (this.room.logSize.bytes + payload.byteLength > this.#limits.maxDocBytes) {
          throw new ProtocolViolation(CLOSE_DOC_TOO_LARGE, 'doc_too_large', 'document too large')
        }
        this.#observer.updateIn()
        // Integrated, persisted and fanned out by the room's update handler.
        this.room.apply(payload, this)
        return null
      default:
        throw new ProtocolViolation(CLOSE_UNKNOWN_MESSAGE_TYPE, 'unknown_type', `unknown sync message type ${syncType}`)
    }
  }
}
