import type { IncomingMessage, ServerResponse } from 'node:http'
import { isBoardId } from '../../../shared/src'
import { mintToken, verifyToken } from '../access/tokens'

const MAX_BODY_BYTES = 4096
const MAX_TTL_SECONDS = 366 * 86_400

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
  res.end(JSON.stringify(body))
}

interface ShareRequest {
  readonly board?: unknown
  readonly scope?: unknown
  readonly ttlSeconds?: unknown
}

const parseBody = (text: string | null): ShareRequest | null => {
  if (text === null) return null
  try {
    const value: unknown = JSON.parse(text)
    return value !== null && typeof value === 'object' ? (value as ShareRequest) : null
  } catch {
    return null
  }
}

const readBody = (req: IncomingMessage): Promise<string | null> =>
  new Promise((resolve) => {
    let size = 0
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => {
      // Past the limit the rest is read and dropped (memory stays bounded) rather than the socket
      // destroyed: the client then gets its 400 instead of a connection reset (SPEC [A7]).
      if (size > MAX_BODY_BYTES) return
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        chunks.length = 0
        resolve(null)
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', () => resolve(null))
  })

/**
 * `POST /api/share` (SPEC [A7]): a holder of a read-write token for a board mints a read-write or
 * read-only token for the same board, expiring no later than their own. This is how the app's
 * share dialog makes links; only the relay holds the secret.
 */
export const handleShare = async (
  secret: string | null,
  req: IncomingMessage,
  res: ServerResponse,
  nowSeconds: () => number,
): Promise<void> => {
  if (secret === null) return json(res, 404, { error: 'open mode: links need no token' })
  if (req.method !== 'POST') return json(res, 405, { error: 'use POST' })
  const header = req.headers.authorization ?? ''
  const caller = verifyToken(secret, header.startsWith('Bearer ') ? header.slice(7) : null, nowSeconds())
  if (!caller.ok || caller.claims.scope !== 'rw') return json(res, 401, { error: 'a read-write token is required' })
  const text = await readBody(req)
  const body = parseBody(text)
  if (
    body === null ||
    !isBoardId(body.board) ||
    (body.scope !== 'rw' && body.scope !== 'ro') ||
    typeof body.ttlSeconds !== 'number' ||
    !Number.isSafeInteger(body.ttlSeconds) ||
    body.ttlSeconds <= 0 ||
    body.ttlSeconds > MAX_TTL_SECONDS
  ) {
    return json(res, 400, { error: 'expected {"board", "scope": "rw" | "ro", "ttlSeconds"}' })
  }
  if (body.board !== caller.claims.board) return json(res, 401, { error: 'the token is for another board' })
  const exp = Math.min(nowSeconds() + body.ttlSeconds, caller.claims.exp)
  json(res, 200, { token: mintToken(secret, { board: body.board, scope: body.scope, exp }), exp })
}
