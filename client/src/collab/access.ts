import type { BoardId } from '../../../shared/src'
import { captureLinkTrust } from './linkTrust'

/**
 * Access tokens on this device. A share link carries its token in the URL fragment
 * (`/b/<boardId>#token=...`), which browsers never send to a server; the app moves it into
 * localStorage for that board and takes it out of the address bar. Tokens are opaque to the app
 * except for their payload's scope, read only to set up the UI: the relay decides (SPEC [A2]).
 */
export type Scope = 'rw' | 'ro'

const key = (boardId: BoardId): string => `peerboard.token.${boardId}`

/**
 * Takes what a share link carries out of the page's fragment (`#token=…&g=…&inv=…`) into this
 * device's storage for `boardId`, and removes the fragment from the address bar: the relay access
 * token, the board's genesis and an invitation (linkTrust.ts). A read-only link does not replace
 * an unexpired read-write token this device already has.
 */
export const captureLinkFromLocation = (boardId: BoardId): void => {
  const fragment = window.location.hash
  if (fragment === '') return
  captureLinkTrust(boardId, fragment)
  const match = /(?:^#|&)token=([A-Za-z0-9._-]+)/.exec(fragment)
  const incoming = match?.[1]
  if (incoming !== undefined) {
    const current = readToken(boardId)
    const keepCurrent =
      tokenScope(current) === 'rw' && tokenScope(incoming) === 'ro' && (tokenExpiry(current) ?? 0) > Date.now() / 1000
    try {
      if (!keepCurrent) localStorage.setItem(key(boardId), incoming)
    } catch {
      // Without storage the token still works for this page through the fragment being re-read.
    }
  }
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search)
}

export const readToken = (boardId: BoardId): string | null => {
  try {
    return localStorage.getItem(key(boardId))
  } catch {
    return null
  }
}

/** A token's payload, decoded but not verified (the relay verifies; the app only reads it). */
const claimsOf = (token: string | null): { s?: unknown; e?: unknown } | null => {
  const payload = token?.split('.')[1]
  if (payload === undefined) return null
  try {
    return JSON.parse(atob(payload.replaceAll('-', '+').replaceAll('_', '/'))) as { s?: unknown; e?: unknown }
  } catch {
    return null
  }
}

/** The scope a token claims. */
export const tokenScope = (token: string | null): Scope | null => {
  const s = claimsOf(token)?.s
  return s === 'rw' || s === 'ro' ? s : null
}

/** When a token says it expires, in Unix seconds. */
export const tokenExpiry = (token: string | null): number | null => {
  const e = claimsOf(token)?.e
  return typeof e === 'number' ? e : null
}

/** Whether the relay wants tokens ('token') or admits anyone who can reach it ('open'). */
export const fetchRelayAccess = async (): Promise<'open' | 'token' | null> => {
  try {
    const response = await fetch('/healthz', { cache: 'no-store' })
    const body = (await response.json()) as { access?: unknown }
    return body.access === 'open' || body.access === 'token' ? body.access : null
  } catch {
    return null
  }
}

/** Asks the relay for a share token (SPEC [A7]); needs this device's read-write token. */
export const requestShareToken = async (
  boardId: BoardId,
  scope: Scope,
  ttlSeconds: number,
): Promise<string> => {
  const token = readToken(boardId)
  if (token === null) throw new Error('This device has no read-write access token for this board.')
  const response = await fetch('/api/share', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ board: boardId, scope, ttlSeconds }),
  })
  const body = (await response.json().catch(() => ({}))) as { token?: unknown; error?: unknown }
  if (!response.ok || typeof body.token !== 'string') {
    throw new Error(typeof body.error === 'string' ? body.error : `The relay refused (${response.status}).`)
  }
  return body.token
}

/** What a session for `room` (any room of a board) sends and whether it may write. */
export const accessForRoom = (room: string): { token: string | null; readOnly: boolean } => {
  const boardId = (room.split('.')[0] ?? '') as BoardId
  const token = readToken(boardId)
  return { token, readOnly: tokenScope(token) === 'ro' }
}
