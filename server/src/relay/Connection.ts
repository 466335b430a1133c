import * as awarenessProtocol from 'y-protocols/awareness'
import * as encoding from 'lib0/encoding'
import type { WebSocket } from 'ws'
import {
  CLOSE_DOC_TOO_LARGE,
  CLOSE_INTERNAL_ERROR,
  CLOSE_MALFORMED_MESSAGE,
  CLOSE_MESSAGE_TOO_LARGE,
  CLOSE_PENDING_TOO_LARGE,
  CLOSE_SLOW_DOWN,
  CLOSE_STORAGE_FAILED,
  MESSAGE_AWARENESS,
  MESSAGE_SAVED,
  MESSAGE_SYNC,
  SYNC_STEP_1,
  SYNC_STEP_2,
} from '../../../shared/src'
import type { Scope } from '../access/tokens'
import { describeError, type Logger } from '../log'
import { ProtocolViolation, readInboundFrame, type InboundFrame } from './inboundFrames'
import type { RelayObserver } from './RelayObserver'
import type { Room, RoomPeer } from './Room'
import { RoomUnavailable, UpdateRefused, type RefusalReason } from './RoomDoc'
import { TokenBucket } from './TokenBucket'

/** Per-socket limits (SPEC [L1], [L2], [L6]). */
export interface ConnectionLimits {
  readonly maxMessageBytes: number
  readonly rateMessagesPerSecond: number
  readonly rateBytesPerSecond: number
  readonly rateBurstSeconds: number
  /** How long a socket may stay over its rate before it is closed (retryable) (SPEC [L2]). */
  readonly throttleLimitSeconds: number
  readonly maxAwarenessBytes: number
  readonly awarenessPerSecond: number
}

/**
 * Work one socket may do in one turn of the event loop before the others get theirs: a socket
 * whose frames arrive in one large chunk (a flood, or a client that was paused) is served a slice
 * at a time, so that it cannot hold up the other rooms.
 */
const SLICE_FRAMES = 32
const SLICE_MS = 2
/** Throttles closer together than this count as one stretch over the rate. */
const THROTTLE_GAP_MS = 1000

/** How an update the room refused closes its socket. */
const REFUSAL_CODES: Record<RefusalReason, number> = {
  malformed: CLOSE_MALFORMED_MESSAGE,
  doc_too_large: CLOSE_DOC_TOO_LARGE,
  pending_too_large: CLOSE_PENDING_TOO_LARGE,
  storage_failed: CLOSE_STORAGE_FAILED,
}

/**
 * One client socket in one room. Every inbound frame is untrusted: its size is checked first, it
 * is read completely (inboundFrames.ts) and its update trial-applied by the room before anything
 * changes. A frame that does not read or breaks a limit closes this socket with a permanent code
 * (the client does not retry it); a failure of the relay's own closes it with a retryable one; the
 * process never goes down.
 *
 * Speed is never a reason to close (SPEC [L2]): frames wait in a queue for the socket's token
 * buckets, and while they wait the socket is not read, so TCP pushes back on the sender. Only a
 * socket that stays over its rate for `throttleLimitSeconds` is closed, with 4529, which the
 * client retries (it then sends what it has in one SyncStep2). A read-only socket is answered and
 * kept up to date, but nothing it writes is applied (SPEC [A4]).
 */
export class Connection implements RoomPeer {
  readonly awarenessIds = new Set<number>()
  pendingBytes = 0
  pendingEpoch = 0
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
  /** Frames received and not handled yet, oldest first. */
  #queue: Uint8Array[] = []
  #queueHead = 0
  /** A drain is scheduled (after a slice, or when the buckets refill). */
  #drainTimer: NodeJS.Timeout | NodeJS.Immediate | null = null
  /** Frames handled in the current turn of the event loop. */
  #sliceFrames = 0
  #sliceStarted = 0
  /** When the current stretch over the rate began, and the last throttle in it. */
  #throttledSince: number | null = null
  #lastThrottle = 0
  #closing = false

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
    // The byte burst always fits one largest frame, so a big initial sync is not held up.
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

  /** Whether the relay has stopped reading this socket for now (flow control). */
  get paused(): boolean {
    return this.socket.isPaused
  }

  /** Greets the client: our state vector (SyncStep1) and everyone's presence. */
  start(): void {
    const sync = encoding.createEncoder()
    encoding.writeVarUint(sync, MESSAGE_SYNC)
    encoding.writeVarUint(sync, SYNC_STEP_1)
    encoding.writeVarUint8Array(sync, this.room.stateVector())
    this.send(encoding.toUint8Array(sync))
    const states = this.room.awareness.getStates()
    if (states.size > 0) this.send(this.#presenceFrame([...states.keys()]))
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

  /** Takes one inbound frame: handled now if nothing is waiting and the socket is under its rate. Never throws. */
  receive(data: Uint8Array): void {
    // Once the relay has decided to close this socket, what is still in flight is dropped: not
    // applied, and not logged or counted again frame after frame.
    if (this.#closing || this.socket.readyState !== this.socket.OPEN) return
    this.#observer.messageIn(data.byteLength)
    if (data.byteLength > this.#limits.maxMessageBytes) {
      this.#refuse(new ProtocolViolation(CLOSE_MESSAGE_TOO_LARGE, 'too_large', 'message too large'))
      return
    }
    this.#queue.push(data)
    if (this.#drainTimer === null) this.#drain()
  }

  /** Handles queued frames while the buckets allow and this turn's slice lasts. */
  #drain = (): void => {
    this.#drainTimer = null
    const now = Date.now()
    if (this.#sliceFrames === 0) this.#sliceStarted = performance.now()
    while (this.#queueHead < this.#queue.length) {
      if (this.#closing) return
      if (this.#sliceFrames >= SLICE_FRAMES || performance.now() - this.#sliceStarted > SLICE_MS) {
        // Yield to the other sockets; this one is not read until its queue is empty again.
        this.socket.pause()
        this.#drainTimer = setImmediate(this.#newSlice)
        return
      }
      const data = this.#queue[this.#queueHead] as Uint8Array
      let frame: InboundFrame
      try {
        frame = readInboundFrame(data, this.#limits.maxAwarenessBytes)
      } catch (error) {
        this.#refuse(error)
        return
      }
      const wait = this.#waitFor(frame, data.byteLength, now)
      if (wait > 0) {
        this.#throttle(wait, now)
        return
      }
      this.#queue[this.#queueHead++] = EMPTY
      if (this.#sliceFrames++ === 0) setImmediate(this.#endSlice)
      this.#handleSafely(frame, data.byteLength)
    }
    this.#queue = []
    this.#queueHead = 0
    if (!this.#closing && this.socket.isPaused) {
      // It sent everything that was queued: it is alive, whether or not its pong was read yet.
      this.alive = true
      this.socket.resume()
    }
  }

  #newSlice = (): void => {
    this.#sliceFrames = 0
    this.#drain()
  }

  #endSlice = (): void => {
    this.#sliceFrames = 0
  }

  /** How long `frame` must wait for the socket's buckets (0: it may go now, and has been charged). */
  #waitFor(frame: InboundFrame, bytes: number, now: number): number {
    // Presence only counts against its own rate when it brings news: y-websocket re-sends every
    // awareness change it applies, so each provider echoes everyone else's presence; echoes change
    // nothing, are not relayed, and must not hold up a busy room's members.
    const awareness = frame.kind === 'awareness' && this.room.bringsNews(frame.entries) ? 1 : 0
    const wait = Math.max(
      this.#messages.waitFor(1, now),
      this.#bytes.waitFor(bytes, now),
      awareness === 0 ? 0 : this.#awareness.waitFor(1, now),
    )
    if (wait > 0) return wait
    this.#messages.take(1, now)
    this.#bytes.take(bytes, now)
    if (awareness > 0) this.#awareness.take(1, now)
    return 0
  }

  /**
   * The socket is over its rate: it is not read until its buckets refill (TCP pushes back on the
   * sender). One that has been over its rate for `throttleLimitSeconds` is closed with 4529, a
   * code the client retries later (SPEC [L2]).
   */
  #throttle(wait: number, now: number): void {
    if (this.#throttledSince === null || now - this.#lastThrottle > THROTTLE_GAP_MS + wait) this.#throttledSince = now
    this.#lastThrottle = now
    if (now - this.#throttledSince > this.#limits.throttleLimitSeconds * 1000) {
      this.#observer.rejected('over_rate_too_long')
      this.#log.warn('closing socket', {
        room: this.room.name,
        code: CLOSE_SLOW_DOWN,
        reason: `over its rate for ${this.#limits.throttleLimitSeconds} s`,
      })
      this.close(CLOSE_SLOW_DOWN, 'over the rate limit for too long; try again later')
      return
    }
    this.#observer.rejected('rate_limited')
    this.socket.pause()
    this.#drainTimer = setTimeout(this.#newSlice, wait)
  }

  /** Handles a frame that has been read and charged. Never throws. */
  #handleSafely(frame: InboundFrame, bytes: number): void {
    try {
      const reply = this.#handle(frame, bytes)
      if (reply !== null) this.send(reply)
    } catch (error) {
      this.#refuse(error)
    }
  }

  /** Closes the socket for `error`: permanent for what the client did, retryable for the relay's own failures. */
  #refuse(error: unknown): void {
    if (error instanceof ProtocolViolation) {
      this.#observer.rejected(error.reason)
      this.#log.warn('closing socket', { room: this.room.name, code: error.code, reason: error.message })
      this.close(error.code, error.message)
      return
    }
    if (error instanceof UpdateRefused) {
      const code = REFUSAL_CODES[error.reason]
      this.#observer.rejected(error.reason)
      const fields = { room: this.room.name, code, reason: error.message }
      if (error.reason === 'storage_failed') this.#log.error('closing socket', fields)
      else this.#log.warn('closing socket', fields)
      this.close(code, error.reason === 'storage_failed' ? 'the relay could not store this; reconnect' : error.message)
      return
    }
    if (error instanceof RoomUnavailable) {
      this.#observer.rejected('storage_failed')
      this.#log.error('closing socket', { room: this.room.name, code: CLOSE_STORAGE_FAILED, reason: error.message })
      this.close(CLOSE_STORAGE_FAILED, 'room unavailable; reconnect')
      return
    }
    this.#observer.rejected('internal_error')
    this.#log.error('closing socket after an internal error', {
      room: this.room.name,
      code: CLOSE_INTERNAL_ERROR,
      error: describeError(error),
    })
    this.close(CLOSE_INTERNAL_ERROR, 'internal error; reconnect')
  }

  close(code: number, reason: string): void {
    this.#closing = true
    if (this.#drainTimer !== null) {
      clearTimeout(this.#drainTimer as NodeJS.Timeout)
      clearImmediate(this.#drainTimer as NodeJS.Immediate)
      this.#drainTimer = null
    }
    this.#queue = []
    this.#queueHead = 0
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) {
      this.socket.close(code, reason)
      // A throttled socket is paused: resume it so the client's close reply is read and the
      // closing handshake completes now, not at ws's 30 s close timeout (frames are dropped above).
      this.socket.resume()
    }
  }

  #handle(frame: InboundFrame, bytes: number): Uint8Array | null {
    switch (frame.kind) {
      case 'sync-step-1': {
        // The client's state vector: answer with exactly what it is missing.
        const encoder = encoding.createEncoder()
        encoding.writeVarUint(encoder, MESSAGE_SYNC)
        encoding.writeVarUint(encoder, SYNC_STEP_2)
        encoding.writeVarUint8Array(encoder, this.room.missingFrom(frame.stateVector))
        return encoding.toUint8Array(encoder)
      }
      case 'update':
        if (this.scope === 'ro') {
          // Normal for a read-only client (its SyncStep2 answers ours); nothing from it is kept.
          if (frame.update.byteLength > 2) this.#observer.rejected('read_only_write')
          return null
        }
        this.#observer.updateIn()
        this.room.apply(frame.update, this)
        return null
      case 'awareness': {
        const overCap = this.room.applyAwareness(frame.entries, this)
        if (overCap > 0) {
          this.#observer.rejected('awareness_over_cap')
          this.#log.debug('presence entries over cap dropped', { room: this.room.name, entries: overCap, bytes })
        }
        return null
      }
      case 'query-awareness':
        return this.#presenceFrame([...this.room.awareness.getStates().keys()])
      case 'saved-subscribe':
        this.wantsSaved = true
        this.sendSaved(this.room.savedStateVector())
        return null
    }
  }

  #presenceFrame(clients: number[]): Uint8Array {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.room.awareness, clients))
    return encoding.toUint8Array(encoder)
  }
}

/** Put in a handled frame's queue slot, so that the queue does not hold on to its bytes. */
const EMPTY = new Uint8Array(0)
