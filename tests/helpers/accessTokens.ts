import { createHmac, randomBytes } from 'node:crypto'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import { runRelayCli } from './relayCli'
import { WebsocketProvider } from 'y-websocket'
import { createPool, openRawSocket, type Pool, type RawSocket, type SyncClient } from './syncClients'

/**
 * Access tokens for the relay's integration tests (SPEC [A2]), made here independently of the
 * relay's code from the SPEC's definition, so that the tests check the format rather than echo the
 * implementation: `pb1.<payload>.<mac>`, payload = base64url(JSON {b, s, e}), mac = base64url of
 * HMAC-SHA256(secret, "peerboard/token/v1." + payload).
 */

/** A secret of the length the relay requires (at least 32 characters). */
export const TEST_SECRET = 'integration-test-secret-0123456789abcdefghij'
export const OTHER_SECRET = 'another-secret-the-relay-does-not-know-0123456'

/** A fresh, valid 22-character board (or proposal) id. */
export const freshId = (): string => randomBytes(16).toString('base64url').slice(0, 22)

export interface Claims {
  readonly b: unknown
  readonly s: unknown
  readonly e: unknown
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000)

/** Signs an arbitrary payload object the way the relay does (any JSON, valid or not). */
export const signPayload = (secret: string, payloadJson: string): string => {
  const payload = Buffer.from(payloadJson).toString('base64url')
  const mac = createHmac('sha256', secret).update(`peerboard/token/v1.${payload}`).digest('base64url')
  return `pb1.${payload}.${mac}`
}

export const signToken = (secret: string, claims: Claims): string => signPayload(secret, JSON.stringify(claims))

/** A valid token for `board` with `scope`, expiring in `ttlSeconds`. */
export const tokenFor = (board: string, scope: 'rw' | 'ro', ttlSeconds = 3600, secret = TEST_SECRET): string =>
  signToken(secret, { b: board, s: scope, e: nowSeconds() + ttlSeconds })

/** The claims a token carries (its payload is readable by anyone). */
export const readClaims = (token: string): { b: string; s: string; e: number } => {
  const parts = token.split('.')
  if (parts.length !== 3 || parts[0] !== 'pb1') throw new Error(`not a pb1 token: ${token.slice(0, 12)}…`)
  return JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString('utf8')) as { b: string; s: string; e: number }
}

/** `node --import tsx server/src/main.ts token <args>` with RELAY_SECRET (unless `env` says otherwise). */
export const runTokenCli = (args: readonly string[], env: Record<string, string> = { RELAY_SECRET: TEST_SECRET }) =>
  runRelayCli(['token', ...args], env)

/** A token minted by the relay's own CLI (which must succeed). */
export const mintWithCli = async (board: string, scope: 'rw' | 'ro', ttl = '1h', secret = TEST_SECRET): Promise<string> => {
  const run = await runTokenCli(['--board', board, '--scope', scope, '--ttl', ttl], { RELAY_SECRET: secret })
  if (run.code !== 0) throw new Error(`token CLI failed (${run.code}): ${run.stderr}`)
  return run.stdout.trim()
}

/** `/sync/<room>?token=<token>` under the relay's ws URL (no query string when token is null). */
export const syncUrl = (relay: { wsUrl: string }, room: string, token: string | null): string =>
  token === null ? `${relay.wsUrl}/${room}` : `${relay.wsUrl}/${room}?token=${encodeURIComponent(token)}`

/**
 * The unmodified y-websocket provider passing `token` as the query parameter, as the app does
 * (the same shape as syncClients' connectClient, which takes no parameters).
 */
export const connectTokenClient = (wsUrl: string, room: string, token: string, doc = new Y.Doc()): SyncClient => {
  const provider = new WebsocketProvider(wsUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: { token },
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


export interface AccessPool extends Pool {
  /** A provider on `room` with `token`; destroyed when the pool is cleared. */
  tokenClient(relay: { wsUrl: string }, room: string, token: string, doc?: Y.Doc): SyncClient
  /** An open raw socket on `room` with `token` (and headers); terminated when the pool is cleared. */
  tokenSocket(
    relay: { wsUrl: string },
    room: string,
    token: string | null,
    headers?: Record<string, string>,
  ): Promise<RawSocket>
}

/** createPool() plus token-carrying providers and sockets that are freed with the rest. */
export const createAccessPool = (): AccessPool => {
  const base = createPool()
  const clients: SyncClient[] = []
  const sockets: RawSocket[] = []
  return {
    ...base,
    tokenClient: (relay, room, token, doc) => {
      const client = connectTokenClient(relay.wsUrl, room, token, doc)
      clients.push(client)
      return client
    },
    tokenSocket: async (relay, room, token, headers) => {
      const socket = await openRawSocket(syncUrl(relay, room, token), headers)
      sockets.push(socket)
      return socket
    },
    clear: async () => {
      for (const client of clients.splice(0)) client.destroy()
      for (const socket of sockets.splice(0)) socket.ws.terminate()
      await base.clear()
    },
  }
}

/**
 * Tries a WebSocket upgrade with the given headers: `'open'` if the relay accepted it (the socket
 * is then closed), or the HTTP status of the 'unexpected-response' it refused it with.
 */
export const upgradeStatus = (url: string, headers: Record<string, string> = {}): Promise<number | 'open'> =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers })
    ws.on('error', (error) => reject(error))
    ws.on('open', () => {
      ws.terminate()
      resolve('open')
    })
    ws.on('unexpected-response', (req, res) => {
      resolve(res.statusCode ?? 0)
      res.resume()
      req.destroy()
    })
  })

/** POST /api/share with an optional bearer token and a body (a string is sent as is). */
export const postShare = async (
  relay: { url: string },
  bearer: string | null,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown> | null }> => {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (bearer !== null) headers.authorization = `Bearer ${bearer}`
  const res = await fetch(`${relay.url}/api/share`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await res.text()
  let json: Record<string, unknown> | null
  try {
    json = JSON.parse(text) as Record<string, unknown>
  } catch {
    json = null
  }
  return { status: res.status, json }
}
