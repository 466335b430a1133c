import Database from 'better-sqlite3'
import * as decoding from 'lib0/decoding'
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { startRelayProcess, type RelayProcess } from './relayProcess'
import { waitFor } from './wait'

/**
 * Clients for the relay's integration tests: the unmodified y-websocket provider running in Node
 * over `ws`, raw `ws` sockets for speaking (or breaking) the wire protocol by hand, and read-only
 * looks into the relay's SQLite file.
 */

/** A fresh, valid room name (the relay accepts dotted URL-safe names of at most 100 characters). */
export const freshRoom = (label: string): string => `${label}-${randomBytes(6).toString('hex')}`

export interface SyncClient {
  readonly doc: Y.Doc
  readonly provider: WebsocketProvider
  /** The shared text every test writes to (`doc.getText('text')`). */
  readonly text: Y.Text
  /** Close events the provider saw (null when it closed the socket itself). */
  readonly closeCodes: (number | null)[]
  destroy(): void
}

export interface Pool {
  /** Starts a relay that is stopped (SIGTERM) when the pool is cleared. */
  relay(options?: Parameters<typeof startRelayProcess>[0]): Promise<RelayProcess>
  /** A y-websocket provider on `room`; destroyed when the pool is cleared. */
  client(relay: { wsUrl: string }, room: string, doc?: Y.Doc): SyncClient
  /** A raw socket on `/sync/<room>`, open; terminated when the pool is cleared. */
  rawSocket(relay: { wsUrl: string }, room: string): Promise<RawSocket>
  /** Destroys every client and socket, then stops every relay and deletes its DATA_DIR. */
  clear(): Promise<void>
}

/** Everything a test creates goes through a pool, so that afterEach/afterAll can free it all. */
export const createPool = (): Pool => {
  const relays: RelayProcess[] = []
  const clients: SyncClient[] = []
  const sockets: RawSocket[] = []
  return {
    relay: async (options) => {
      const relay = await startRelayProcess(options)
      relays.push(relay)
      return relay
    },
    client: (relay, room, doc) => {
      const client = connectClient(relay.wsUrl, room, doc)
      clients.push(client)
      return client
    },
    rawSocket: async (relay, room) => {
      const socket = await openRawSocket(`${relay.wsUrl}/${room}`)
      sockets.push(socket)
      return socket
    },
    clear: async () => {
      for (const client of clients.splice(0)) client.destroy()
      for (const socket of sockets.splice(0)) socket.ws.terminate()
      const stopped = relays.splice(0)
      await Promise.all(stopped.map((relay) => relay.stop()))
      for (const dataDir of new Set(stopped.map((relay) => relay.dataDir))) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export const connectClient = (
  wsUrl: string,
  room: string,
  doc = new Y.Doc(),
  // ws implements the WebSocket API the provider uses; its types differ from the DOM's.
  WebSocketClass = WebSocket as unknown as typeof globalThis.WebSocket,
): SyncClient => {
  const provider = new WebsocketProvider(wsUrl, room, doc, {
    WebSocketPolyfill: WebSocketClass,
    disableBc: true,
  })
  const closeCodes: (number | null)[] = []
  provider.on('connection-close', (event) => {
    closeCodes.push(event === null ? null : event.code)
  })
  let destroyed = false
  return {
    doc,
    provider,
    text: doc.getText('text'),
    closeCodes,
    destroy: () => {
      if (destroyed) return
      destroyed = true
      provider.destroy()
      provider.awareness.destroy()
      doc.destroy()
    },
  }
}

/** waitFor for a check that returns a value when ready (and null, undefined or false until then). */
export const waitForValue = async <T>(
  what: string,
  check: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  timeoutMs?: number,
): Promise<T> => (await waitFor(what, check, timeoutMs)) as T

export const waitSynced = async (client: SyncClient, timeoutMs?: number): Promise<void> => {
  await waitFor(`${client.provider.roomname} to sync`, () => client.provider.synced, timeoutMs)
}

export const waitForText = async (client: SyncClient, expected: string, timeoutMs?: number): Promise<void> => {
  await waitFor(
    `text "${expected.length > 60 ? expected.slice(0, 60) + '…' : expected}" in ${client.provider.roomname} (has "${client.text.toString().slice(0, 60)}")`,
    () => client.text.toString() === expected,
    timeoutMs,
  )
}

export interface RawSocket {
  readonly ws: WebSocket
  /** Every binary frame received so far, in order. */
  readonly frames: Uint8Array[]
  /** Set when the socket closed. */
  readonly closed: () => { code: number; reason: string } | null
  send(frame: Uint8Array | readonly number[]): void
  /** Resolves with the close code and reason. */
  waitClosed(timeoutMs?: number): Promise<{ code: number; reason: string }>
}

/** A raw socket on `url`, with optional request headers (Origin, X-Forwarded-For). */
export const openRawSocket = async (url: string, headers: Record<string, string> = {}): Promise<RawSocket> => {
  const ws = new WebSocket(url, { headers })
  const frames: Uint8Array[] = []
  let closed: { code: number; reason: string } | null = null
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (isBinary) frames.push(new Uint8Array(data))
  })
  ws.on('close', (code: number, reason: Buffer) => {
    closed = { code, reason: reason.toString() }
  })
  ws.on('error', () => {})
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)))
    ws.once('close', () => reject(new Error('socket closed before it opened')))
  })
  return {
    ws,
    frames,
    closed: () => closed,
    send: (frame) => ws.send(frame instanceof Uint8Array ? frame : Uint8Array.from(frame)),
    waitClosed: (timeoutMs) => waitForValue(`socket ${url.split('?')[0]} to close`, () => closed, timeoutMs),
  }
}

/** The first varUint of a frame: its y-websocket message type. */
export const messageType = (frame: Uint8Array): number => decoding.readVarUint(decoding.createDecoder(frame))

/** A sync frame's subtype (0 SyncStep1, 1 SyncStep2, 2 Update) and payload. */
export const readSyncFrame = (frame: Uint8Array): { syncType: number; payload: Uint8Array } => {
  const decoder = decoding.createDecoder(frame)
  if (decoding.readVarUint(decoder) !== 0) throw new Error('not a sync frame')
  const syncType = decoding.readVarUint(decoder)
  return { syncType, payload: decoding.readVarUint8Array(decoder) }
}

/** The client ids and states of an awareness frame (`1 · varUint8Array(update)`). */
export const readAwarenessFrame = (frame: Uint8Array): Map<number, unknown> => {
  const outer = decoding.createDecoder(frame)
  if (decoding.readVarUint(outer) !== 1) throw new Error('not an awareness frame')
  const decoder = decoding.createDecoder(decoding.readVarUint8Array(outer))
  const states = new Map<number, unknown>()
  const count = decoding.readVarUint(decoder)
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder)
    decoding.readVarUint(decoder) // clock
    states.set(clientId, JSON.parse(decoding.readVarString(decoder)) as unknown)
  }
  return states
}

export interface Health {
  status: string
  rooms: number
  connections: number
  uptimeSeconds: number
}

export const getHealth = async (relay: { url: string }): Promise<Health> => {
  const res = await fetch(`${relay.url}/healthz`)
  if (res.status !== 200) throw new Error(`/healthz answered ${res.status}`)
  return (await res.json()) as Health
}

/** The stored rows of a room, read through a separate read-only connection to the relay's file. */
export const storedRows = (dataDir: string, room: string): Uint8Array[] => {
  const db = new Database(join(dataDir, 'peerboard.sqlite'), { readonly: true, fileMustExist: true })
  try {
    const rows = db.prepare('SELECT data FROM updates WHERE room = ? ORDER BY id').all(room) as { data: Buffer }[]
    return rows.map((row) => new Uint8Array(row.data))
  } finally {
    db.close()
  }
}

/** A doc rebuilt from a room's stored rows, as a fresh relay would load it. */
export const storedDoc = (dataDir: string, room: string): Y.Doc => {
  const doc = new Y.Doc()
  for (const row of storedRows(dataDir, room)) Y.applyUpdate(doc, row)
  return doc
}
