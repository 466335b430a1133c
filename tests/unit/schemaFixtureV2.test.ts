import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  readAffected,
  readBoard,
  readMap,
  readMembers,
  readMembersWithProblems,
  readThread,
  readThreads,
} from '../../shared/src'
import { newReplica } from '../helpers/boards'

const FIXTURE = new URL('../fixtures/board-v2.bin', import.meta.url)

const load = (): Y.Doc => {
  const doc = newReplica()
  Y.applyUpdate(doc, new Uint8Array(readFileSync(FIXTURE)))
  return doc
}

/** See tests/fixtures/README.md for what board-v2.bin holds. */
describe('[S5] board-v2.bin: members, stakeholder map and dialogue', () => {
  it('[S5] board-v2.bin is byte-for-byte the committed fixture', () => {
    expect(createHash('sha256').update(readFileSync(FIXTURE)).digest('hex')).toBe(
      'c48ff7aa6656b4199b996b44487e430cc61ffe659ad5cfc92a9612f73f4e8990',
    )
  })

  it('[S5] reads as the board it was written as', () => {
    const doc = load()
    const board = readBoard(doc)
    expect(board.meta).toMatchObject({ name: 'Riverside co-op', schemaVersion: 2, access: 'writable' })
    expect(board.proposals.map((p) => [p.title, p.status, p.authorName])).toEqual([
      ['Open the tool library on Sundays', 'draft', 'Alice'],
    ])
    const proposal = board.proposals[0]
    if (proposal === undefined) throw new Error('no proposal')

    // [I2] the signed member record still verifies, byte for byte.
    expect(readMembersWithProblems(doc).unverified).toEqual([])
    expect(readMembers(doc).map((m) => [m.name, m.color, m.seq, m.devices.length])).toEqual([['Alice', '#6a4c93', 1, 1]])
    const alice = readMembers(doc)[0]?.id
    expect(proposal.author).toBe(alice)

    const map = readMap(doc)
    expect(map.chambers.map((c) => [c.name, c.description])).toEqual([['Neighbours', 'People living on Mill Lane']])
    const byName = new Map(map.actors.map((a) => [a.name, a]))
    expect(byName.get('The river')).toMatchObject({ kind: 'non-human', interests: ['clean water'], archived: false })
    expect(byName.get('Tool library')).toMatchObject({
      kind: 'group',
      interests: ['tools returned on time', 'volunteers'],
      chambers: [map.chambers[0]?.id],
    })
    const river = byName.get('The river')?.id
    const library = byName.get('Tool library')?.id
    if (river === undefined || library === undefined) throw new Error('missing actors')
    expect(map.positions[river]).toEqual({ x: 120, y: -40 })
    expect(map.relations.map((r) => [r.from, r.to, r.kind, r.note])).toEqual([
      [library, river, 'affects', 'Washing paint brushes in the river'],
    ])
    const affected = readAffected(doc, proposal.id)
    expect(affected.actors.map((a) => a.name)).toEqual(['Tool library'])
    expect(affected.chambers.map((c) => c.name)).toEqual(['Neighbours'])

    const [thread] = readThreads(doc, { kind: 'proposal', id: proposal.id })
    expect(thread?.title).toBe('Who opens up?')
    const view = thread === undefined ? null : readThread(doc, thread.id)
    expect(view?.messages.map((m) => [m.depth, m.stance, m.body, m.author === alice])).toEqual([
      [0, 'for', 'I can do the first month.', true],
      [1, 'question', 'Keys are at the shop?', true],
    ])
  })
})
