import { describe, expect, it } from 'vitest'
import {
  castStance,
  createBoard,
  createHlcClock,
  DEFAULT_CHARTER,
  openPoll,
  performDuty,
  proposeCharterAmendment,
  readDecisions,
  readDeviceDuties,
  readThread,
  setPollOutcome,
  type DeviceDuty,
  type PollId,
} from '../../shared/src'
import { newReplica } from '../helpers/boards'
import { ANN, BEN, CAT, decisionBoard, HOUR, publishTestMember, T0, type TestMember } from '../helpers/decisions'

/*
 * What a member's device writes on its own is one pure function (dutiesFor, through
 * readDeviceDuties); the app and the simulations only carry it out (SPEC [H1], [C9], [C12], [H2]).
 */

const MEMBERS = [ANN, BEN, CAT]
const CLOSES = T0 + HOUR
const NODE = 'deviceDutiesTestNode0A'

const run = (doc: ReturnType<typeof newReplica>, m: TestMember, now: number): DeviceDuty[] => {
  const duties = readDeviceDuties(doc, m.id, now)
  for (const duty of duties) {
    performDuty(doc, duty, { member: m.id, signer: m.signer, now, clock: () => createHlcClock({ node: NODE, wallClock: () => now }) })
  }
  return duties
}

describe('device duties', () => {
  it('[H1] the creator’s device writes the first charter once its member record is there; nobody else does', () => {
    const doc = newReplica()
    createBoard(doc, { name: 'Allotment', createdAt: T0, creator: ANN.id })
    expect(readDeviceDuties(doc, ANN.id, T0)).toEqual([])
    publishTestMember(doc, ANN)
    publishTestMember(doc, BEN)
    expect(readDeviceDuties(doc, BEN.id, T0)).toEqual([])
    expect(run(doc, ANN, T0)).toEqual([{ kind: 'write-first-charter' }])
    expect(readDecisions(doc, T0).charter.inForce?.content).toEqual(DEFAULT_CHARTER)
    expect(readDeviceDuties(doc, ANN.id, T0)).toEqual([])
  })

  it('[C9] after close, each pending elector’s device marks the poll seen, once', () => {
    const { doc, proposal } = decisionBoard(MEMBERS)
    const poll = openPoll(doc, ANN.signer, { proposal, opener: ANN.id, openedAt: T0, closesAt: CLOSES, body: '' })
    castStance(doc, BEN.signer, { poll, member: BEN.id, choice: 'consent', reason: '', castAt: T0 + 1 })
    expect(readDeviceDuties(doc, ANN.id, T0 + 2)).toEqual([])
    expect(readDeviceDuties(doc, BEN.id, CLOSES + 1)).toEqual([])
    for (const m of [ANN, CAT]) expect(run(doc, m, CLOSES + 1)).toEqual([{ kind: 'mark-seen-after-close', poll }])
    expect(readDecisions(doc, CLOSES + 1).polls[0]?.tally.status).toBe('final')
    for (const m of MEMBERS) expect(readDeviceDuties(doc, m.id, CLOSES + 2)).toEqual([])
  })

  it('[C12] when the review date comes, a device opens the review thread it lacks', () => {
    const { doc, proposal } = decisionBoard(MEMBERS)
    const poll = openPoll(doc, ANN.signer, { proposal, opener: ANN.id, openedAt: T0, closesAt: CLOSES, body: '' })
    for (const m of MEMBERS) run(doc, m, CLOSES + 1)
    setPollOutcome(doc, { poll, author: ANN.id, statement: 'We wait a year', reviewAt: CLOSES + HOUR, writtenAt: CLOSES + 2 })
    expect(readDeviceDuties(doc, BEN.id, CLOSES + 3)).toEqual([])
    expect(run(doc, BEN, CLOSES + HOUR)).toEqual([{ kind: 'open-review-thread', poll }])
    const thread = readDecisions(doc, CLOSES + HOUR).polls[0]?.reviewThread
    expect(readThread(doc, thread as never)?.thread.title).toBe('Review: Buy a shared mower')
    expect(readDeviceDuties(doc, CAT.id, CLOSES + HOUR)).toEqual([])
  })

  it('[C12] a restarted poll is never reviewed: no device opens its thread', () => {
    const { doc, proposal } = decisionBoard(MEMBERS)
    const poll = openPoll(doc, ANN.signer, { proposal, opener: ANN.id, openedAt: T0, closesAt: CLOSES, body: '' })
    for (const m of MEMBERS) run(doc, m, CLOSES + 1)
    setPollOutcome(doc, { poll, author: ANN.id, statement: 'We wait a year', reviewAt: CLOSES + HOUR, writtenAt: CLOSES + 2 })
    openPoll(doc, ANN.signer, { proposal, opener: ANN.id, openedAt: CLOSES + 3, closesAt: CLOSES + 2 * HOUR, body: '', supersedes: poll })
    expect(readDecisions(doc, CLOSES + HOUR).polls.find((p) => p.id === poll)).toMatchObject({ reviewDue: true, superseded: true })
    expect(readDeviceDuties(doc, BEN.id, CLOSES + HOUR)).toEqual([])
  })

  it('[H2] a final, passed amendment under the charter in force is adopted, one at a time', () => {
    const { doc } = decisionBoard(MEMBERS)
    const amendments: PollId[] = []
    for (const quorumPct of [60, 70]) {
      const proposal = proposeCharterAmendment(doc, {
        title: `Quorum ${quorumPct}`,
        author: ANN.id,
        authorName: 'Ann',
        createdAt: T0 + 1,
        content: { ...DEFAULT_CHARTER, quorumPct },
      })
      const poll = openPoll(doc, ANN.signer, { proposal, opener: ANN.id, openedAt: T0 + 2, closesAt: CLOSES, body: '' })
      for (const m of MEMBERS) castStance(doc, m.signer, { poll, member: m.id, choice: 'consent', reason: '', castAt: T0 + 3 })
      amendments.push(poll)
    }
    expect(readDeviceDuties(doc, BEN.id, T0 + 4)).toEqual([])
    const duties = run(doc, BEN, CLOSES + 1)
    expect(duties.filter((d) => d.kind === 'adopt-amendment')).toHaveLength(1)
    const charter = readDecisions(doc, CLOSES + 1).charter
    expect(charter.inForce?.revision).toBe(1)
    // The other amendment ran under revision 0: it is not adopted over the new charter.
    expect(readDeviceDuties(doc, CAT.id, CLOSES + 2)).toEqual([])
    expect(amendments).toContain(charter.inForce?.poll)
  })
})
