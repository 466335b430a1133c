import { isBoardId, type BoardId } from '../../../shared/src'

/** Boards opened on this device, most recent first (kept in this browser only). */
export interface RecentBoard {
  readonly id: BoardId
  readonly name: string
  readonly openedAt: number
}

const KEY = 'peerboard.recentBoards'
const MAX = 50

export const loadRecentBoards = (): readonly RecentBoard[] => {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]')
    if (!Array.isArray(raw)) return []
    return raw.filter(
      (b): b is RecentBoard =>
        typeof b === 'object' && b !== null && isBoardId(b.id) && typeof b.name === 'string' && typeof b.openedAt === 'number',
    )
  } catch {
    return []
  }
}

export const rememberBoard = (id: BoardId, name: string, openedAt: number): void => {
  const rest = loadRecentBoards().filter((b) => b.id !== id)
  const next = [{ id, name, openedAt }, ...rest].slice(0, MAX)
  try {
    localStorage.setItem(KEY, JSON.stringify(next))
  } catch {
    // Storage full or unavailable: the list is a convenience, the board itself is in IndexedDB.
  }
}

/** A board id from what someone pasted: a board link, or the id itself. */
/**
 * Where a pasted board link leads in this app: the page it names and its fragment (an access token,
 * the board's genesis, an invitation), so that pasting a share link is the same as opening it.
 */
export const boardPathFromLink = (text: string): string | null => {
  const trimmed = text.trim()
  if (isBoardId(trimmed)) return `/b/${trimmed}`
  const match = /(\/b\/[A-Za-z0-9_-]{22}(?:\/[A-Za-z0-9_/-]*)?)(?:\?[^#]*)?(#.*)?$/.exec(trimmed)
  return match === null || match[1] === undefined ? null : `${match[1]}${match[2] ?? ''}`
}
