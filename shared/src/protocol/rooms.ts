import { isBoardId, isLedgerId, isProposalId, type BoardId, type LedgerId, type ProposalId } from '../model/ids'

/**
 * Room names (docs/PROTOCOL.md). One room is one Y.Doc, synced at `/sync/<room>`:
 *
 * - `<boardId>`                  the board doc: metadata and proposals;
 * - `<boardId>.p.<proposalId>`   one proposal's rich-text body (a Lexical editor's doc);
 * - `<boardId>.l.<ledgerId>`     a resource-sharing ledger (entries and signatures).
 *
 * Ids are 22 base64url characters, so names are URL-safe and never need escaping.
 */
export type RoomRef =
  | { readonly kind: 'board'; readonly boardId: BoardId }
  | { readonly kind: 'proposal-body'; readonly boardId: BoardId; readonly proposalId: ProposalId }
  | { readonly kind: 'ledger'; readonly boardId: BoardId; readonly ledgerId: LedgerId }

/** Longest room name the relay accepts (room names only ever come from the forms below). */
export const ROOM_NAME_MAX = 100
const ROOM_NAME_PATTERN = /^[A-Za-z0-9_-]+(\.[a-z]+\.[A-Za-z0-9_-]+)*$/

export const boardRoom = (boardId: BoardId): string => boardId
export const proposalBodyRoom = (boardId: BoardId, proposalId: ProposalId): string =>
  `${boardId}.p.${proposalId}`
export const ledgerRoom = (boardId: BoardId, ledgerId: LedgerId): string => `${boardId}.l.${ledgerId}`

/** What a room name refers to, or null if it is not one this version knows. */
export const parseRoomName = (room: string): RoomRef | null => {
  const parts = room.split('.')
  const [boardId, kind, proposalId] = parts
  if (!isBoardId(boardId)) return null
  if (parts.length === 1) return { kind: 'board', boardId }
  if (parts.length === 3 && kind === 'p' && isProposalId(proposalId)) {
    return { kind: 'proposal-body', boardId, proposalId }
  }
  if (parts.length === 3 && kind === 'l' && isLedgerId(proposalId)) {
    return { kind: 'ledger', boardId, ledgerId: proposalId }
  }
  return null
}

/**
 * Whether the relay should serve a room of this name. The relay is deliberately more lenient
 * than `parseRoomName` (it relays room kinds added by newer clients) but refuses anything that
 * is not a short, URL-safe, dotted name.
 */
export const isValidRoomName = (room: string): boolean =>
  room.length > 0 && room.length <= ROOM_NAME_MAX && ROOM_NAME_PATTERN.test(room)
