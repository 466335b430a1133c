import type { IncomingMessage } from 'node:http'
import type { BoardId } from '../../../shared/src'
import { verifyToken, type Scope } from './tokens'

/** Who may connect (SPEC [A1]-[A5]): decided at the upgrade, before any WebSocket exists. */
export type Admission =
  | { readonly ok: true; readonly scope: Scope }
  | { readonly ok: false; readonly status: 401 | 403; readonly reason: 'unauthorized' | 'forbidden_origin' }

export interface AccessPolicy {
  readonly secret: string | null
  readonly allowedOrigins: readonly string[] | null
}

/** The board a room belongs to: its first dotted segment. */
export const boardOfRoom = (room: string): string => room.split('.')[0] ?? ''

export const admit = (
  policy: AccessPolicy,
  req: IncomingMessage,
  room: string,
  token: string | null,
  nowSeconds: number,
): Admission => {
  const origin = req.headers.origin
  if (policy.allowedOrigins !== null && origin !== undefined && !policy.allowedOrigins.includes(origin)) {
    return { ok: false, status: 403, reason: 'forbidden_origin' }
  }
  if (policy.secret === null) return { ok: true, scope: 'rw' }
  const verdict = verifyToken(policy.secret, token, nowSeconds)
  if (!verdict.ok) return { ok: false, status: 401, reason: 'unauthorized' }
  const board = boardOfRoom(room) as BoardId
  if (verdict.claims.board !== board) return { ok: false, status: 401, reason: 'unauthorized' }
  // Every room of a board, including kinds this relay does not know, is covered by its token.
  return { ok: true, scope: verdict.claims.scope }
}
