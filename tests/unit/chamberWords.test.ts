import { describe, expect, it } from 'vitest'
import {
  addActor,
  addChamber,
  castStance,
  DEFAULT_CHARTER,
  linkProposalToChamber,
  markSeenAfterClose,
  openPoll,
  readDecisions,
  setActorChambers,
  setActorMember,
  type ChamberId,
  type ChamberTally,
} from '../../shared/src'
import { chamberResultText, failedChambersText, percentText } from '../../client/src/decisions/chamberWords'
import { ANN, BEN, decisionBoard, HOUR, T0, type TestMember } from '../helpers/decisions'

/* Chamber results in words (SPEC [C11]): what the tally and the charter page say per chamber. */

const chamber = (over: Partial<ChamberTally>): ChamberTally => ({
  chamber: 'neighbours_chamber_001' as ChamberId,
  name: 'Neighbours',
  bp: 6000,
  electors: 3,
  cast: 2,
  approve: 1,
  base: 2,
  passed: false,
  ...over,
})

describe('[C11] chamber results in words', () => {
  it('[C11] a chamber reads as cast, approving of for-or-against, threshold, passes or not', () => {
    expect(chamberResultText(chamber({}))).toBe(
      'Neighbours: 2 of 3 electors took a stance; 1 approving of 2 for or against, 60% needed — does not pass',
    )
    expect(chamberResultText(chamber({ electors: 1, cast: 1, approve: 1, base: 1, bp: 6667, passed: true }))).toBe(
      'Neighbours: 1 of 1 elector took a stance; 1 approving of 1 for or against, 66.67% needed — passes',
    )
    expect(percentText(5000)).toBe('50%')
    expect(percentText(1)).toBe('0.01%')
  })

  it('[C11] a poll that passes its method but not a chamber is not passed, naming the chamber, on every replica', () => {
    const ids: Record<string, ChamberId> = {}
    const board = decisionBoard([ANN, BEN], (doc) => {
      ids.workers = addChamber(doc, { name: 'Workers', description: '' })
      ids.neighbours = addChamber(doc, { name: 'Neighbours', description: '' })
      return {
        ...DEFAULT_CHARTER,
        method: 'supermajority',
        params: { pass: { cmp: '>=', bp: 5000, of: 'score' }, dots: 0, choices: 0 },
        chambers: [
          { chamber: ids.workers, bp: 5000 },
          { chamber: ids.neighbours, bp: 6000 },
        ],
      }
    })
    const { doc, proposal } = board
    const link = (m: TestMember, chamberId: ChamberId | undefined): void => {
      const actor = addActor(doc, { name: m.name, kind: 'person', description: '', interests: [] })
      setActorChambers(doc, actor, chamberId === undefined ? [] : [chamberId])
      setActorMember(doc, actor, m.id)
      if (chamberId !== undefined) linkProposalToChamber(doc, proposal, chamberId)
    }
    link(ANN, ids.workers)
    link(BEN, ids.neighbours)
    const poll = openPoll(doc, BEN.signer, { proposal, opener: BEN.id, openedAt: T0 + 1, closesAt: T0 + HOUR, body: '' })
    castStance(doc, ANN.signer, { poll, member: ANN.id, choice: 'yes', reason: '', castAt: T0 + 2 })
    castStance(doc, BEN.signer, { poll, member: BEN.id, choice: 'no', reason: '', castAt: T0 + 2 })
    const open = readDecisions(doc, T0 + 3).polls[0]?.tally
    expect(open === undefined ? 'no poll' : failedChambersText(open)).toBeNull()
    for (const m of [ANN, BEN]) markSeenAfterClose(doc, m.signer, { poll, member: m.id, seenAt: T0 + HOUR + 1 })
    const tally = readDecisions(doc, T0 + HOUR + 2).polls[0]?.tally
    if (tally === undefined) throw new Error('the poll is not listed')
    expect([tally.status, tally.result, tally.counts.yes, tally.counts.no]).toEqual(['final', 'not-passed', 1, 1])
    expect(tally.chambers.map((c) => [c.name, c.passed]).sort()).toEqual([
      ['Neighbours', false],
      ['Workers', true],
    ])
    expect(failedChambersText(tally)).toBe('Not passed in the chamber Neighbours: it did not reach its threshold.')
  })

  it('[C11] several failed chambers are all named; a passed or advisory poll names none', () => {
    const base = { status: 'final', result: 'not-passed', passed: false } as const
    const two = { ...base, chambers: [chamber({ name: 'A' }), chamber({ name: 'B' }), chamber({ name: 'C', passed: true })] }
    expect(failedChambersText(two as never)).toBe('Not passed in the chambers A and B: they did not reach their thresholds.')
    expect(failedChambersText({ ...two, result: 'advisory' } as never)).toBeNull()
    expect(failedChambersText({ ...two, status: 'open' } as never)).toBeNull()
    expect(failedChambersText({ ...two, result: 'passed', passed: true } as never)).toBeNull()
  })
})
