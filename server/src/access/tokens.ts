import { createHmac, timingSafeEqual } from 'node:crypto'
import { isBoardId, type BoardId } from '../../../shared/src'

/**
 * Access tokens (SPEC [A2]): `pb1.<payload>.<mac>`, where payload is base64url of
 * `{"b": boardId, "s": "rw" | "ro", "e": expiry in Unix seconds}` and mac is base64url of
 * HMAC-SHA256(secret, "peerboard/token/v1." + payload). Only the relay's secret can mint them;
 * anyone can read a token's payload, so it carries nothing secret.
 */
export type Scope = 'rw' | 'ro'

export interface TokenClaims {
  readonly board: BoardId
  readonly scope: Scope
  /** Expiry, Unix seconds. */
  readonly exp: number
}

const PREFIX = 'pb1'
const DOMAIN = 'peerboard/token/v1.'
const MAX_TOKEN_LENGTH = 512

const mac = (secret: string, payload: string): Buffer =>
  createHmac('sha256', secret).update(DOMAIN + payload).digest()

export const mintToken = (secret: string, claims: TokenClaims): string => {
  const payload = Buffer.from(JSON.stringify({ b: claims.board, s: claims.scope, e: claims.exp })).toString(
    'base64url',
  )
  return `${PREFIX}.${payload}.${mac(secret, payload).toString('base64url')}`
}

/** Why a token was refused; never includes the token itself. */
export type TokenProblem = 'missing' | 'malformed' | 'bad-signature' | 'expired'

/** The claims of a genuine, unexpired token, or why not. `now` is Unix seconds. */
export const verifyToken = (
  secret: string,
  token: string | null | undefined,
  now: number,
): { ok: true; claims: TokenClaims } | { ok: false; problem: TokenProblem } => {
  if (token === null || token === undefined || token === '') return { ok: false, problem: 'missing' }
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, problem: 'malformed' }
  const parts = token.split('.')
  if (parts.length !== 3 || parts[0] !== PREFIX) return { ok: false, problem: 'malformed' }
  const [, payload = '', signature = ''] = parts
  const expected = mac(secret, payload)
  const given = Buffer.from(signature, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, problem: 'bad-signature' }
  }
  let raw: unknown
  try {
    raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
  } catch {
    return { ok: false, problem: 'malformed' }
  }
  const claims = raw as { b?: unknown; s?: unknown; e?: unknown } | null
  if (
    claims === null ||
    typeof claims !== 'object' ||
    !isBoardId(claims.b) ||
    (claims.s !== 'rw' && claims.s !== 'ro') ||
    typeof claims.e !== 'number' ||
    !Number.isSafeInteger(claims.e)
  ) {
    return { ok: false, problem: 'malformed' }
  }
  if (claims.e <= now) return { ok: false, problem: 'expired' }
  return { ok: true, claims: { board: claims.b, scope: claims.s, exp: claims.e } }
}

/** A duration like `30d`, `12h`, `45m` or `3600s` (or plain seconds) in seconds, or null. */
export const parseDuration = (text: string): number | null => {
  const match = /^(\d+)([smhdw]?)$/.exec(text.trim())
  if (match === null) return null
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }[match[2] as '' | 's' | 'm' | 'h' | 'd' | 'w']
  const seconds = Number(match[1]) * unit
  return seconds > 0 && Number.isSafeInteger(seconds) ? seconds : null
}
