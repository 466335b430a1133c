import { describe, expect, it } from 'vitest'
import {
  boardRoom,
  isValidRoomName,
  newBoardId,
  newProposalId,
  parseRoomName,
  proposalBodyRoom,
  ROOM_NAME_MAX,
  type BoardId,
} from '../../shared/src'

const BOARD = 'AAECAwQFBgcICQoLDA0ODw' as BoardId
const PROPOSAL = 'abcdefghijklmnopqrs-_9'

describe('[R1] room names', () => {
  it('[R1] a board\'s room is its id', () => {
    const boardId = newBoardId()
    expect(boardRoom(boardId)).toBe(boardId)
    expect(parseRoomName(boardRoom(boardId))).toEqual({ kind: 'board', boardId })
  })

  it('[R1] a proposal body\'s room is <boardId>.p.<proposalId>', () => {
    const boardId = newBoardId()
    const proposalId = newProposalId()
    expect(proposalBodyRoom(boardId, proposalId)).toBe(`${boardId}.p.${proposalId}`)
    expect(parseRoomName(proposalBodyRoom(boardId, proposalId))).toEqual({
      kind: 'proposal-body',
      boardId,
      proposalId,
    })
  })

  it('[R1] parseRoomName recognises exactly these two forms', () => {
    const notRooms = [
      '',
      '.',
      'board',
      BOARD.slice(1),
      `${BOARD}A`,
      `${BOARD.slice(1)}+`,
      `${BOARD}.`,
      `.${BOARD}`,
      `${BOARD}.p`,
      `${BOARD}.p.`,
      `${BOARD}.p.short`,
      `${BOARD}.P.${PROPOSAL}`,
      `${BOARD}.q.${PROPOSAL}`,
      `${BOARD}.pp.${PROPOSAL}`,
      `${BOARD}..${PROPOSAL}`,
      `${BOARD}.p.${PROPOSAL}.`,
      `${BOARD}.p.${PROPOSAL}.p.${PROPOSAL}`,
      `${BOARD}.${PROPOSAL}`,
      `${BOARD}/p/${PROPOSAL}`,
      `${BOARD} `,
      `x.p.${PROPOSAL}`,
    ]
    for (const room of notRooms) expect(parseRoomName(room), room).toBeNull()
    expect(parseRoomName(BOARD)).toEqual({ kind: 'board', boardId: BOARD })
    expect(parseRoomName(`${BOARD}.p.${PROPOSAL}`)).toEqual({
      kind: 'proposal-body',
      boardId: BOARD,
      proposalId: PROPOSAL,
    })
  })

  it('[R1] the relay accepts both forms and dotted URL-safe names of kinds it does not know', () => {
    expect(ROOM_NAME_MAX).toBe(100)
    for (const room of [
      BOARD,
      `${BOARD}.p.${PROPOSAL}`,
      `${BOARD}.v.${PROPOSAL}`,
      `${BOARD}.ledger.${PROPOSAL}`,
      `${BOARD}.p.${PROPOSAL}.c.${PROPOSAL}`,
      'x',
      'a_b-c',
    ]) {
      expect(isValidRoomName(room), room).toBe(true)
    }
  })

  it('[R1] the relay accepts names of at most 100 characters', () => {
    expect(isValidRoomName('a'.repeat(100))).toBe(true)
    expect(isValidRoomName('a'.repeat(101))).toBe(false)
    const long = `${BOARD}.p.${PROPOSAL}.c.${'b'.repeat(100 - 50)}`
    expect(long).toHaveLength(100)
    expect(isValidRoomName(long)).toBe(true)
    expect(isValidRoomName(`${long}b`)).toBe(false)
  })

  it('[R1] the relay refuses everything else', () => {
    for (const room of [
      '',
      '.',
      '..',
      `.${BOARD}`,
      `${BOARD}.`,
      `${BOARD}..p`,
      `${BOARD}.p.`,
      `${BOARD}/x`,
      `${BOARD}%2F`,
      `${BOARD}?x=1`,
      `${BOARD}#x`,
      `${BOARD} x`,
      `${BOARD}\n`,
      '../etc/passwd',
      'héllo',
      'a+b',
      'a=b',
    ]) {
      expect(isValidRoomName(room), JSON.stringify(room)).toBe(false)
    }
  })

  it('[R1] every room name this version makes is one the relay accepts and parses back', () => {
    for (let i = 0; i < 200; i++) {
      const boardId = newBoardId()
      const proposalId = newProposalId()
      for (const room of [boardRoom(boardId), proposalBodyRoom(boardId, proposalId)]) {
        expect(isValidRoomName(room)).toBe(true)
        expect(parseRoomName(room)).not.toBeNull()
      }
    }
  })
})
