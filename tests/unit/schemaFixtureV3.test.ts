import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { proposalPolls, readBoard, readDecisions, readMembers, type ProposalId } from '../../shared/src'
import { newReplica } from '../helpers/boards'

const FIXTURE = new URL('../fixtures/board-v3.bin', import.meta.url)

const load = (): Y.Doc => {
  const doc = newReplica()
  Y.applyUpdate(doc, new Uint8Array(readFileSync(FIXTURE)))
  return doc
}

const T = 1_720_000_000_000

/** See tests/fixtures/README.md for what board-v3.bin holds. */
describe('[S5] board-v3.bin: charter, polls, stances and outcomes', () => {
  it('[S5] board-v3.bin is byte-for-byte the committed fixture', () => {
    expect(createHash('sha256').update(readFileSync(FIXTURE)).digest('hex')).toBe(
      '3c684527b60f8f8bd45539d0a0385f36b772a339ed69581bcd7059bc5115fc8d',
    )
  })

  it('[S5][H3][C2] reads as the board it was written as: a ratified charter and a decided score poll', () => {
    const doc = load()
    expect(readBoard(doc).meta).toMatchObject({ name: 'Harbour commons', schemaVersion: 3, access: 'writable' })
    const [alice, bob] = readMembers(doc)
    expect([alice?.name, bob?.name]).toEqual(['Alice', 'Bob'])
    const snapshot = readDecisions(doc, T + 10 * 86_400_000)
    expect(snapshot.creator).toBe(alice?.id)
    expect(snapshot.charter.revisions.map((r) => [r.revision, r.by])).toEqual([
      [0, alice?.id],
      [1, bob?.id],
    ])
    expect([snapshot.charter.ratified, snapshot.charter.flagged]).toEqual([true, []])
    expect(snapshot.rejectedPolls).toEqual([])
    expect(snapshot.rejectedStances).toEqual([])
    const paint = readBoard(doc).proposals.find((p) => p.title === 'Paint the boathouse')
    const { current } = proposalPolls(snapshot, paint?.id as ProposalId)
    expect(current?.def).toMatchObject({ method: 'score', options: ['Blue', 'Green'], charter: { revision: 1 } })
    expect(current?.tally).toMatchObject({ status: 'final', result: 'chosen', winner: 0, cast: 2 })
    expect(current?.tally.options.map((o) => o.score)).toEqual([9, 3])
    expect(current?.tally.stances.map((s) => s.status).sort()).toEqual(['counted', 'counted', 'superseded'])
    expect(current?.outcome).toMatchObject({ statement: 'Blue it is.', reviewAt: T + 86_400_000, author: alice?.id })
    expect(current?.reviewDue).toBe(true)
  })
})
