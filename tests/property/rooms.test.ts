import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  boardRoom,
  isValidRoomName,
  ledgerRoom,
  parseRoomName,
  proposalBodyRoom,
  ROOM_NAME_MAX,
  type BoardId,
  type LedgerId,
  type ProposalId,
} from '../../shared/src'

const id = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((bytes) => Buffer.from(bytes).toString('base64url'))

/** Room-like strings: ids, dots, kinds and the odd stray character. */
const roomLike = fc
  .array(fc.oneof(id, fc.constantFrom('.', 'p', '.p.', '.l.', 'q', '/', '%', ' ', '-', '_', 'é', '')), { maxLength: 6 })
  .map((parts) => parts.join(''))

describe('[R1] room names', () => {
  it('[R1] board and body rooms parse back to their ids and are accepted by the relay', () => {
    fc.assert(
      fc.property(id, id, (board, proposal) => {
        const boardId = board as BoardId
        const proposalId = proposal as ProposalId
        expect(parseRoomName(boardRoom(boardId))).toEqual({ kind: 'board', boardId })
        expect(parseRoomName(proposalBodyRoom(boardId, proposalId))).toEqual({
          kind: 'proposal-body',
          boardId,
          proposalId,
        })
        expect(isValidRoomName(boardRoom(boardId))).toBe(true)
        expect(isValidRoomName(proposalBodyRoom(boardId, proposalId))).toBe(true)
        const ledgerId = proposal as LedgerId
        expect(parseRoomName(ledgerRoom(boardId, ledgerId))).toEqual({ kind: 'ledger', boardId, ledgerId })
        expect(isValidRoomName(ledgerRoom(boardId, ledgerId))).toBe(true)
      }),
    )
  })

  it('[R1] parseRoomName recognises exactly the three forms, and never throws', () => {
    fc.assert(
      fc.property(fc.oneof(roomLike, fc.string()), (room) => {
        const parsed = parseRoomName(room)
        if (parsed === null) return
        const rebuilt =
          parsed.kind === 'board'
            ? boardRoom(parsed.boardId)
            : parsed.kind === 'ledger'
              ? ledgerRoom(parsed.boardId, parsed.ledgerId)
              : proposalBodyRoom(parsed.boardId, parsed.proposalId)
        expect(rebuilt).toBe(room)
        expect(isValidRoomName(room)).toBe(true)
      }),
      { numRuns: 1000 },
    )
  })

  it('[R1] the relay accepts only short, dotted, URL-safe names', () => {
    fc.assert(
      fc.property(fc.oneof(roomLike, fc.string()), (room) => {
        if (!isValidRoomName(room)) return
        expect(room.length).toBeGreaterThan(0)
        expect(room.length).toBeLessThanOrEqual(ROOM_NAME_MAX)
        expect(room).toMatch(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/)
        expect(encodeURIComponent(room)).toBe(room)
      }),
      { numRuns: 1000 },
    )
  })
})
