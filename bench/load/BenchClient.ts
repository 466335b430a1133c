import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { WebSocket, type RawData } from 'ws'
import * as Y from 'yjs'
import type { WireDialect } from './dialects'
import { updateKey } from './updateKey'

const MESSAGE_SYNC = 0
const MESSAGE_AWARENESS = 1
const SYNC_STEP_1 = 0
const SYNC_STEP_2 = 1
const SYNC_UPDATE = 2

/** `0 · subtype · varUint8Array(payload)`. */
export const syncFrame = (subtype: number, payload: Uint8Array): Uint8Array => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  encoding.writeVarUint(encoder, subtype)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}

export const updateFrame = (update: Uint8Array): Uint8Array => syncFrame(SYNC_UPDATE, update)

/** An empty state vector / an empty update, as a lightweight client sends them. */
const EMPTY_STATE_VECTOR = Uint8Array.of(0)
const EMPTY_UPDATE = Uint8Array.of(0, 0)

/** `1 · varUint8Array(awareness update with one entry)`. */
export const awarenessFrame = (clientId: number, clock: number, state: unknown): Uint8Array => {
  const inner = encoding.createEncoder()
  encoding.writeVarUint(inner, 1)
  encoding.writeVarUint(inner, clientId)
  encoding.writeVarUint(inner, clock)
  encoding.writeVarString(inner, JSON.stringify(state))
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
  encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner))
  return encoding.toUint8Array(encoder)
}

export interface BenchClientOptions {
  readonly dialect: WireDialect
  readonly port: number
  readonly room: string
  /** A probe keeps a real Y.Doc and applies what it receives; others only count bytes. */
  readonly probe: boolean
  /** Answer the server's SyncStep1 (false against the floor, which would broadcast the answer). */
  readonly answerSyncStep1: boolean
  /** Called with the key (updateKey) of every sync Update received. */
  readonly onUpdate?: (key: string, receivedAt: number) => void
  /**
   * The document is complete once it holds this client's clock: `completeAt` is then set. Lets a
   * lightweight client tell "has the document" from "was answered" (a relay may answer before it
   * has loaded the document from storage) by reading state vectors, without a Y.Doc.
   */
  readonly completeAt?: { readonly client: number; readonly clock: number }
}

/**
 * One client of the load generator: a raw socket speaking the y-websocket protocol through a
 * dialect. Lightweight clients count bytes and identify updates without decoding them into a doc;
 * probes keep a real Y.Doc so that the final content can be checked.
 */
export class BenchClient {
  readonly ws: WebSocket
  readonly doc: Y.Doc | null
  readonly room: string
  bytesIn = 0
  framesIn = 0
  /** When the server's first SyncStep2 arrived (performance.now()), or null. */
  syncedAt: number | null = null
  /** SyncStep2 frames received: answers to this client's SyncStep1s. */
  syncReplies = 0
  /** When the document became complete (see BenchClientOptions.completeAt), or null. */
  completeAt: number | null = null
  opened = false
  closed: { code: number; reason: string } | null = null
  error: string | null = null
  readonly #options: BenchClientOptions

  constructor(options: BenchClientOptions) {
    this.#options = options
    this.room = options.room
    this.doc = options.probe ? new Y.Doc() : null
    this.ws = new WebSocket(options.dialect.url(options.port, options.room), { perMessageDeflate: false })
    this.ws.binaryType = 'nodebuffer'
    this.ws.on('open', () => {
      this.opened = true
      for (const frame of options.dialect.greeting(options.room)) this.ws.send(frame)
      const stateVector = this.doc === null ? EMPTY_STATE_VECTOR : Y.encodeStateVector(this.doc)
      this.send(syncFrame(SYNC_STEP_1, stateVector))
    })
    this.ws.on('message', (data: RawData) => this.#receive(data as Buffer))
    this.ws.on('close', (code: number, reason: Buffer) => {
      this.closed = { code, reason: reason.toString() }
    })
    this.ws.on('error', (error: Error) => {
      this.error = error.message
    })
  }

  /** Sends a y-websocket frame (wrapped for the server's dialect). */
  send(frame: Uint8Array): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(this.#options.dialect.wrap(this.room, frame))
  }

  /**
   * Sends a SyncStep1 and resolves when it is answered: the server has then handled everything this
   * client sent before it (every server here handles a socket's frames in order).
   */
  async roundTrip(timeoutMs: number): Promise<void> {
    const before = this.syncReplies
    this.send(syncFrame(SYNC_STEP_1, EMPTY_STATE_VECTOR))
    const deadline = performance.now() + timeoutMs
    while (this.syncReplies === before) {
      if (this.closed !== null) throw new Error(`closed by the server: ${this.closed.code} ${this.closed.reason}`)
      if (performance.now() > deadline) throw new Error(`no answer to SyncStep1 in ${timeoutMs} ms`)
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
  }

  /** Sends bytes exactly as given (garbage, for the abuse workload). */
  sendRaw(bytes: Uint8Array): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(bytes)
  }

  text(name: string): string {
    return this.doc?.getText(name).toString() ?? ''
  }

  close(): void {
    this.ws.terminate()
    this.doc?.destroy()
  }

  #checkComplete(payload: Uint8Array): void {
    const target = this.#options.completeAt
    if (target === undefined || this.completeAt !== null) return
    const stateVector =
      this.doc !== null ? Y.encodeStateVector(this.doc) : Y.encodeStateVectorFromUpdate(payload)
    if ((Y.decodeStateVector(stateVector).get(target.client) ?? 0) >= target.clock) this.completeAt = performance.now()
  }

  #receive(data: Buffer): void {
    const receivedAt = performance.now()
    this.bytesIn += data.byteLength
    this.framesIn++
    try {
      const frame = this.#options.dialect.unwrap(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
      const decoder = decoding.createDecoder(frame)
      if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return
      const subtype = decoding.readVarUint(decoder)
      const payload = decoding.readVarUint8Array(decoder)
      if (subtype === SYNC_STEP_1) {
        if (!this.#options.answerSyncStep1) return
        this.send(syncFrame(SYNC_STEP_2, this.doc === null ? EMPTY_UPDATE : Y.encodeStateAsUpdate(this.doc, payload)))
        return
      }
      if (subtype === SYNC_STEP_2) {
        if (this.doc !== null) Y.applyUpdate(this.doc, payload, this)
        this.syncedAt ??= performance.now()
        this.syncReplies++
        this.#checkComplete(payload)
        return
      }
      if (subtype === SYNC_UPDATE) {
        if (this.doc !== null) Y.applyUpdate(this.doc, payload, this)
        this.#checkComplete(payload)
        const key = this.#options.onUpdate === undefined ? null : updateKey(payload)
        if (key !== null) this.#options.onUpdate?.(key, receivedAt)
      }
    } catch (error) {
      this.error = `bad frame from server: ${String(error)}`
    }
  }
}
