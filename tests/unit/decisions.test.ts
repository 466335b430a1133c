import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  addActor,
  addChamber,
  castStance,
  createHlcClock,
  currentProposalRevision,
  DEFAULT_CHARTER,
  EMPTY_BODY_SEED,
  linkProposalToChamber,
  observeActorMembers,
  openPoll,
  openReviewThread,
  PROPOSAL_BODY_ROOT,
  proposalPolls,
  readActorMembers,
  readChamberElectors,
  readDecisions,
  readProposalBodyText,
  readThreads,
  renameProposal,
  ROOT_STANCES,
  setActorChambers,
  setActorMember,
  setPollOutcome,
  type ChamberId,
  type StanceView,
} from '../../shared/src'
import { copyOf, expectRefused, syncAll } from '../helpers/boards'
import { NODE_A, NODE_B } from '../helpers/dialogue'
import { ANN, BEN, CAT, DAN, decisionBoard, HOUR, T0 } from '../helpers/decisions'

/* Decision ops over a real Y.Doc, with real signatures (SPEC [C1], [C3], [C4], [C11], [C12], [C14]). */

const MEMBERS = [ANN, BEN, CAT]
const CLOSES = T0 + HOUR

const setUp = () => {
  const { doc, proposal } = decisionBoard(MEMBERS)
  const poll = openPoll(doc, ANN.signer, { proposal, opener: ANN.id, openedAt: T0 + 1, closesAt: CLOSES, body: 'Body v1' })
  return { doc, proposal, poll }
}

const statuses = (stances: readonly StanceView[]) => stances.map((s) => s.status)

describe('[C1] opening a poll', () => {
  it('[C1] freezes the charter revision, the electorate and the proposal revision', () => {
    const { doc, proposal, poll } = setUp()
    const view = readDecisions(doc, T0 + 2).polls.find((p) => p.id === poll)
    expect(view?.def).toMatchObject({
      method: 'consent',
      quorumPct: 50,
      charter: { revision: 0 },
      electorate: [ANN.id, BEN.id, CAT.id].sort(),
      revision: currentProposalRevision(doc, proposal, 'Body v1'),
      title: 'Buy a shared mower',
    })
  })

  it('[C1] only members the charter lists may open polls; a device signs only for its member', () => {
    const { doc, proposal } = decisionBoard(MEMBERS, { ...DEFAULT_CHARTER, openers: 'listed', openerList: [ANN.id] })
    expectRefused(doc, () => openPoll(doc, BEN.signer, { proposal, opener: BEN.id, openedAt: T0, closesAt: CLOSES, body: '' }), 'forbidden', 'opener')
    expectRefused(doc, () => openPoll(doc, BEN.signer, { proposal, opener: ANN.id, openedAt: T0, closesAt: CLOSES, body: '' }), 'forbidden', 'opener')
    expectRefused(doc, () => openPoll(doc, DAN.signer, { proposal, opener: DAN.id, openedAt: T0, closesAt: CLOSES, body: '' }), 'forbidden', 'opener')
  })

  it('[C1] the closing grace keeps a poll open at least that long', () => {
    const { doc, proposal } = decisionBoard(MEMBERS, { ...DEFAULT_CHARTER, graceMinutes: 120 })
    expectRefused(doc, () => openPoll(doc, ANN.signer, { proposal, opener: ANN.id, openedAt: T0, closesAt: CLOSES, body: '' }), 'invalid-input', 'closesAt')
  })
})

describe('[C4] stances', () => {
  it('[C4] a change of stance takes the member’s next sequence number; the latest counts', () => {
    const { doc, poll } = setUp()
    castStance(doc, BEN.signer, { poll, member: BEN.id, choice: 'objection', reason: 'Too noisy for Sundays', castAt: T0 + 5 })
    castStance(doc, BEN.signer, { poll, member: BEN.id, choice: 'consent', reason: '', castAt: T0 + 6 })
    const tally = readDecisions(doc, T0 + 7).polls[0]?.tally
    expect(tally?.stances.map((s) => [s.seq, s.choice, s.status])).toEqual([
      [1, 'objection', 'superseded'],
      [2, 'consent', 'counted'],
    ])
  })

  it('[C4] concurrent stances of two devices never overwrite each other (one key per stance)', () => {
    const { doc, poll } = setUp()
    const other = copyOf(doc)
    castStance(doc, BEN.signer, { poll, member: BEN.id, choice: 'consent', reason: '', castAt: T0 + 5 })
    castStance(other, CAT.signer, { poll, member: CAT.id, choice: 'consent', reason: '', castAt: T0 + 5 })
    syncAll(doc, other)
    expect(doc.getMap(ROOT_STANCES).size).toBe(2)
    expect(readDecisions(doc, T0 + 6).polls[0]?.tally.cast).toBe(2)
  })

  it('[C4] refused after close, outside the electorate, or with a required reason missing', () => {
    const { doc, poll } = setUp()
    expectRefused(doc, () => castStance(doc, BEN.signer, { poll, member: BEN.id, choice: 'consent', reason: '', castAt: CLOSES + 1 }), 'forbidden')
    expectRefused(doc, () => castStance(doc, DAN.signer, { poll, member: DAN.id, choice: 'consent', reason: '', castAt: T0 + 2 }), 'forbidden')
    expectRefused(doc, () => castStance(doc, BEN.signer, { poll, member: BEN.id, choice: 'objection', reason: 'no', castAt: T0 + 2 }), 'invalid-input', 'reason')
    expectRefused(doc, () => castStance(doc, BEN.signer, { poll, member: BEN.id, choice: 'yes', reason: '', castAt: T0 + 2 }), 'invalid-input', 'choice')
  })
})

describe('[C14] forged and altered stances never count', () => {
  it('[C14] a stance signed by an unknown key, or altered after signing, is listed as rejected with why', () => {
    const { doc, poll } = setUp()
    castStance(doc, BEN.signer, { poll, member: BEN.id, choice: 'consent', reason: '', castAt: T0 + 5 })
    const yStances = doc.getMap<{ body: string; signer: string; sig: string }>(ROOT_STANCES)
    const [key, envelope] = [...yStances.entries()][0] ?? ['', { body: '', signer: '', sig: '' }]
    yStances.set(key, { ...envelope, body: envelope.body.replace('"consent"', '"objection"') })
    const snapshot = readDecisions(doc, T0 + 6)
    expect(snapshot.polls[0]?.tally.cast).toBe(0)
    expect(snapshot.rejectedStances.map((r) => r.reason)).toEqual(['the record is stored under another key'])
  })
})

describe('[C3] proposal revisions', () => {
  it('[C3] an edit shows as changed since the poll opened; a restart makes earlier stances stale', () => {
    const { doc, proposal, poll } = setUp()
    castStance(doc, BEN.signer, { poll, member: BEN.id, choice: 'consent', reason: '', castAt: T0 + 5 })
    renameProposal(doc, proposal, 'Buy a quiet shared mower')
    const before = proposalPolls(readDecisions(doc, T0 + 6), proposal).current
    expect(before?.def.revision).not.toBe(currentProposalRevision(doc, proposal, 'Body v1'))
    const restarted = openPoll(doc, ANN.signer, {
      proposal,
      opener: ANN.id,
      openedAt: T0 + 7,
      closesAt: CLOSES,
      body: 'Body v1',
      supersedes: poll,
    })
    const { polls, current } = proposalPolls(readDecisions(doc, T0 + 8), proposal)
    expect(current?.id).toBe(restarted)
    expect(polls.map((p) => p.superseded)).toEqual([true, false])
    expect(current?.tally.cast).toBe(0)
    expectRefused(doc, () => castStance(doc, BEN.signer, { poll, member: BEN.id, choice: 'consent', reason: '', castAt: T0 + 9 }), 'forbidden')
    expectRefused(doc, () => openPoll(doc, ANN.signer, { proposal, opener: ANN.id, openedAt: T0 + 9, closesAt: CLOSES, body: '' }), 'invalid-input', 'proposal')
  })
})

describe('[C11] chambers from the stakeholder map', () => {
  it('[C11] the affected chambers with a charter threshold are frozen with the members linked to their actors', () => {
    let chamber = '' as ChamberId
    const board = decisionBoard(MEMBERS, (doc) => {
      chamber = addChamber(doc, { name: 'Neighbours', description: '' })
      return { ...DEFAULT_CHARTER, chambers: [{ chamber, bp: 5000 }] }
    })
    const actor = addActor(board.doc, { name: 'Ben', kind: 'person', description: '', interests: [] })
    setActorChambers(board.doc, actor, [chamber])
    setActorMember(board.doc, actor, BEN.id)
    linkProposalToChamber(board.doc, board.proposal, chamber)
    const poll = openPoll(board.doc, ANN.signer, { proposal: board.proposal, opener: ANN.id, openedAt: T0, closesAt: CLOSES, body: '' })
    const view = readDecisions(board.doc, T0 + 1).polls.find((p) => p.id === poll)
    expect(view?.def.chambers).toEqual([{ chamber, name: 'Neighbours', bp: 5000, electors: [BEN.id] }])
  })
})

describe('[C11] the member an actor is', () => {
  it('[C11] an actor is one member at most: linking another replaces the link, none removes it; each change is observed', () => {
    let chamber = '' as ChamberId
    const { doc } = decisionBoard(MEMBERS, (d) => {
      chamber = addChamber(d, { name: 'Workers', description: '' })
      return DEFAULT_CHARTER
    })
    const actor = addActor(doc, { name: 'Crew', kind: 'group', description: '', interests: [] })
    setActorChambers(doc, actor, [chamber])
    let changes = 0
    const stop = observeActorMembers(doc, () => changes++)
    setActorMember(doc, actor, BEN.id)
    setActorMember(doc, actor, BEN.id) // unchanged: writes nothing
    expect([readActorMembers(doc).get(actor), changes]).toEqual([BEN.id, 1])
    setActorMember(doc, actor, CAT.id)
    expect([readActorMembers(doc).get(actor), readChamberElectors(doc, chamber), changes]).toEqual([CAT.id, [CAT.id], 2])
    setActorMember(doc, actor, null)
    expect([readActorMembers(doc).has(actor), readChamberElectors(doc, chamber), changes]).toEqual([false, [], 3])
    stop()
    setActorMember(doc, actor, ANN.id)
    expect(changes).toBe(3)
  })
  it('[C11] concurrent links of one actor to two members read as the lower member id on every replica', () => {
    const { doc } = decisionBoard(MEMBERS)
    const actor = addActor(doc, { name: 'Crew', kind: 'group', description: '', interests: [] })
    const other = copyOf(doc)
    setActorMember(doc, actor, BEN.id)
    setActorMember(other, actor, CAT.id)
    syncAll(doc, other)
    const lower = BEN.id < CAT.id ? BEN.id : CAT.id
    expect([readActorMembers(doc).get(actor), readActorMembers(other).get(actor)]).toEqual([lower, lower])
  })
})

describe('[C12] outcome and review', () => {
  it('[C12] a closed poll gets an outcome and a review date; the review thread is one thread on every device', () => {
    const { doc, poll } = setUp()
    expectRefused(doc, () => setPollOutcome(doc, { poll, author: ANN.id, statement: 'We buy it', reviewAt: T0, writtenAt: T0 + 2 }), 'forbidden')
    setPollOutcome(doc, { poll, author: ANN.id, statement: 'We buy it', reviewAt: CLOSES + HOUR, writtenAt: CLOSES + 1 })
    expect(readDecisions(doc, CLOSES + 2).polls[0]?.reviewDue).toBe(false)
    expect(readDecisions(doc, CLOSES + HOUR).polls[0]?.reviewDue).toBe(true)
    const other = copyOf(doc)
    const a = openReviewThread(doc, { poll, author: ANN.id, now: CLOSES + HOUR }, { clock: createHlcClock({ node: NODE_A, wallClock: () => CLOSES + HOUR }) })
    const b = openReviewThread(other, { poll, author: BEN.id, now: CLOSES + HOUR }, { clock: createHlcClock({ node: NODE_B, wallClock: () => CLOSES + HOUR }) })
    syncAll(doc, other)
    expect(a).toBe(b)
    const threads = readThreads(doc, { kind: 'proposal', id: readDecisions(doc, 0).polls[0]?.def.proposal as never })
    expect(threads.map((t) => t.id)).toEqual([a])
    expect(statuses(readDecisions(doc, CLOSES + HOUR).polls[0]?.tally.stances ?? [])).toEqual([])
  })
})

describe('[C3] the body text under vote', () => {
  it('[C3] reads a Lexical body as one line per block, the same on every replica', () => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, EMPTY_BODY_SEED)
    const root = doc.get(PROPOSAL_BODY_ROOT, Y.XmlText)
    const first = root.toDelta()[0]?.insert as Y.XmlText
    first.insert(0, 'Mow on Saturdays.')
    const second = new Y.XmlText()
    second.setAttribute('__type', 'paragraph')
    root.insertEmbed(1, second)
    second.insert(0, 'Not before 9.')
    expect(readProposalBodyText(doc)).toBe('Mow on Saturdays.\nNot before 9.')
    expect(readProposalBodyText(copyOf(doc))).toBe(readProposalBodyText(doc))
  })
})
