import { describe, expect, it } from 'vitest'
import {
  defaultParams,
  meetsPassTest,
  quorumNeeded,
  reasonProblem,
  tallyPoll,
  type MarkerBody,
  type MemberId,
  type PollDefinition,
  type PollId,
  type PollMethod,
  type StanceChoice,
  type StanceRecord,
} from '../../shared/src'

/*
 * The tally as a table of cases (SPEC [C2]-[C11], [C13]): pure function of a poll definition, the
 * set of verified stances and markers, and the time.
 */

const M = (n: number): MemberId => `Member${String(n).padStart(2, '0')}MemberMemberM`.slice(0, 22) as MemberId
const POLL = 'PollPollPollPollPoll00' as PollId
const REV = 'R'.repeat(43)
const OPEN = 1_000
const CLOSE = 10_000

const def = (method: PollMethod, over: Partial<PollDefinition> = {}): PollDefinition => ({
  v: 1,
  proposal: 'PropPropPropPropProp00' as PollDefinition['proposal'],
  opener: M(0),
  openedAt: OPEN,
  closesAt: CLOSE,
  method,
  params: defaultParams(method),
  options: method === 'score' || method === 'ranked' || method === 'dots' ? ['A', 'B', 'C'] : [],
  quorumPct: 0,
  reasons: 'optional',
  results: 'visible',
  charter: { revision: 0, hash: 'H'.repeat(43) },
  electorate: [0, 1, 2, 3].map(M),
  chambers: [],
  revision: REV,
  title: 'T',
  amendment: null,
  supersedes: null,
  ...over,
})

let counter = 0
const stance = (
  member: number,
  choice: StanceChoice,
  over: Partial<StanceRecord['body']> & { id?: string } = {},
): StanceRecord => ({
  id: over.id ?? `stance${String(counter++).padStart(4, '0')}`,
  body: { v: 1, poll: POLL, member: M(member), seq: 1, castAt: 5_000, revision: REV, choice, reason: '', ...over },
})
const marker = (member: number, lastSeq = 0, seenAt = CLOSE + 1): MarkerBody => ({
  v: 1,
  poll: POLL,
  member: M(member),
  seenAt,
  lastSeq,
})

const AFTER = CLOSE + 1

describe('[C6] quorum', () => {
  it.each([
    [50, 4, 2],
    [50, 5, 3],
    [34, 3, 2],
    [33, 3, 1],
    [100, 7, 7],
    [0, 9, 0],
    [1, 1, 1],
  ])('[C6] needed = ceil(%i%% of %i) = %i', (pct, e, needed) => {
    expect(quorumNeeded(pct, e)).toBe(needed)
  })

  it('[C6] quorum is met when stances cast >= needed (not when needed is compared with E)', () => {
    const d = def('majority', { quorumPct: 50 })
    const one = tallyPoll(POLL, d, [stance(1, 'yes')], [], AFTER)
    expect([one.needed, one.cast, one.quorumMet, one.result]).toEqual([2, 1, false, 'no-quorum'])
    const two = tallyPoll(POLL, d, [stance(1, 'yes'), stance(2, 'abstain')], [], AFTER)
    expect([two.cast, two.quorumMet, two.result]).toEqual([2, true, 'passed'])
  })
})

describe('[C2] methods', () => {
  const cases: [string, PollMethod, [number, StanceChoice][], string, boolean][] = [
    ['advice is never binding', 'advice', [[1, 'agree'], [2, 'agree']], 'advisory', false],
    ['consent passes without objection', 'consent', [[1, 'consent'], [2, 'consent']], 'passed', true],
    ['one objection stops consent', 'consent', [[1, 'consent'], [2, 'objection']], 'not-passed', false],
    ['consensus: agree >= 50% of agree+disagree', 'consensus', [[1, 'agree'], [2, 'disagree'], [3, 'abstain']], 'passed', true],
    ['consensus: below the pass test', 'consensus', [[1, 'agree'], [2, 'disagree'], [3, 'disagree']], 'not-passed', false],
    ['[C8] consensus: any block stops it', 'consensus', [[1, 'agree'], [2, 'agree'], [3, 'block']], 'blocked', false],
    ['majority: yes > no', 'majority', [[1, 'yes'], [2, 'yes'], [3, 'no']], 'passed', true],
    ['majority: a tie fails', 'majority', [[1, 'yes'], [2, 'no']], 'not-passed', false],
    ['majority: abstentions are not in the base', 'majority', [[1, 'yes'], [2, 'abstain'], [3, 'abstain']], 'passed', true],
    ['supermajority: two thirds pass (6666 bp)', 'supermajority', [[1, 'yes'], [2, 'yes'], [3, 'no']], 'passed', true],
    ['supermajority: 3 yes of 4 passes', 'supermajority', [[0, 'yes'], [1, 'yes'], [2, 'yes'], [3, 'no']], 'passed', true],
  ]
  it.each(cases)('[C2] %s', (_name, method, votes, result, passed) => {
    const t = tallyPoll(POLL, def(method), votes.map(([m, c]) => stance(m, c)), [], AFTER)
    expect([t.result, t.passed]).toEqual([result, passed])
  })

  it('[C2] supermajority 3 yes of 5 non-abstaining fails', () => {
    const d = def('supermajority', { electorate: [0, 1, 2, 3, 4, 5].map(M) })
    const t = tallyPoll(POLL, d, [stance(1, 'yes'), stance(2, 'yes'), stance(3, 'yes'), stance(4, 'no'), stance(5, 'no')], [], AFTER)
    expect(t.result).toBe('not-passed')
  })

  it('[C2] score: 0-5 per option, highest total wins', () => {
    const t = tallyPoll(POLL, def('score'), [stance(1, [5, 3, 0]), stance(2, [1, 4, 2])], [], AFTER)
    expect(t.options.map((o) => o.score)).toEqual([6, 7, 2])
    expect([t.winner, t.result, t.ranking]).toEqual([1, 'chosen', [1, 0, 2]])
  })

  it('[C2] ranked choice: the option at rank i scores k − i', () => {
    const d = def('ranked', { params: { pass: null, dots: 0, choices: 2 } })
    const t = tallyPoll(POLL, d, [stance(1, [2, 0]), stance(2, [0, 1]), stance(3, [2, 1])], [], AFTER)
    // option 0: 1 + 2 = 3; option 1: 1 + 1 = 2; option 2: 2 + 2 = 4
    expect(t.options.map((o) => o.score)).toEqual([3, 2, 4])
    expect(t.winner).toBe(2)
  })

  it('[C2] dot vote: non-negative integers summing to at most N (8 by default)', () => {
    const t = tallyPoll(POLL, def('dots'), [stance(1, [8, 0, 0]), stance(2, [4, 5, 0]), stance(3, [0, 3, 5])], [], AFTER)
    expect(t.stances.map((s) => s.status)).toEqual(['counted', 'invalid', 'counted'])
    expect(t.options.map((o) => o.score)).toEqual([8, 3, 5])
  })

  it('[C2] a tie between the top options chooses none', () => {
    const t = tallyPoll(POLL, def('score'), [stance(1, [5, 5, 0]), stance(2, [1, 1, 0])], [], AFTER)
    expect([t.winner, t.result]).toEqual([null, 'tie'])
  })

  it('[C2] a choice that does not fit the method is not counted', () => {
    const t = tallyPoll(POLL, def('consent'), [stance(1, 'yes'), stance(2, [1])], [], AFTER)
    expect(t.stances.map((s) => s.status)).toEqual(['invalid', 'invalid'])
  })
})

describe('[C7] pass test', () => {
  it.each([
    [3, 4, '>=', 7500, true],
    [3, 4, '>=', 7501, false],
    [1, 4, '<=', 2500, true],
    [2, 4, '<=', 2500, false],
    [0, 0, '>=', 0, false],
  ] as const)('[C7] %i of %i %s %i bp: %s', (score, base, cmp, bp, ok) => {
    expect(meetsPassTest(score, base, { cmp, bp, of: 'score' })).toBe(ok)
  })

  it('[C7] a share of the electorate counts members who did not vote', () => {
    const d = def('consensus', { params: { pass: { cmp: '>=', bp: 7500, of: 'electorate' }, dots: 0, choices: 0 } })
    const three = [stance(0, 'agree'), stance(1, 'agree'), stance(2, 'agree')]
    expect(tallyPoll(POLL, d, three, [], AFTER).passed).toBe(true)
    expect(tallyPoll(POLL, d, three.slice(0, 2), [], AFTER).passed).toBe(false)
  })

  it('[C7] per option on score methods: share of the total score', () => {
    const d = def('dots', { params: { pass: { cmp: '>=', bp: 5000, of: 'score' }, dots: 8, choices: 0 } })
    const t = tallyPoll(POLL, d, [stance(1, [4, 4, 0]), stance(2, [6, 2, 0])], [], AFTER)
    expect(t.options.map((o) => o.passes)).toEqual([true, false, false])
    expect(t.result).toBe('chosen')
  })
})

describe('[C5] reasons', () => {
  it.each([
    ['disabled', 'objection', '', null],
    ['disabled', 'consent', 'because', 'this poll takes no reasons'],
    ['optional', 'objection', '', null],
    ['required', 'consent', 'ok ok', 'a reason of more than 5 visible characters is required'],
    ['required', 'consent', ' a b c d e f ', null],
    ['required-for-objection', 'consent', '', null],
    ['required-for-objection', 'objection', 'no!', 'a reason of more than 5 visible characters is required'],
    ['required-for-objection', 'block', 'Too loud', null],
  ] as const)('[C5] %s, %s, %j', (setting, choice, reason, problem) => {
    expect(reasonProblem(setting, choice, reason)).toBe(problem)
  })

  it('[C5] a stance without its required reason is not counted', () => {
    const d = def('consent', { reasons: 'required-for-objection' })
    const t = tallyPoll(POLL, d, [stance(1, 'consent'), stance(2, 'objection', { reason: 'meh' })], [], AFTER)
    expect(t.stances.map((s) => s.status)).toEqual(['counted', 'invalid'])
    expect(t.result).toBe('passed')
  })
})

describe('[C4] latest stance by sequence number', () => {
  it('[C4] the highest seq counts, whatever the clock says; ties go to the lowest id', () => {
    const t = tallyPoll(
      POLL,
      def('consent'),
      [
        stance(1, 'objection', { seq: 1, castAt: 9_000, reason: 'x' }),
        stance(1, 'consent', { seq: 2, castAt: 2_000 }),
        stance(2, 'objection', { seq: 1, id: 'b' }),
        stance(2, 'consent', { seq: 1, id: 'a' }),
      ],
      [],
      AFTER,
    )
    expect(t.stances.map((s) => [s.member === M(1) ? 1 : 2, s.seq, s.status])).toEqual([
      [1, 1, 'superseded'],
      [1, 2, 'counted'],
      [2, 1, 'counted'],
      [2, 1, 'superseded'],
    ])
    expect(t.result).toBe('passed')
  })

  it('[C4] a non-elector’s stance is shown and not counted', () => {
    const t = tallyPoll(POLL, def('consent'), [stance(9, 'objection')], [], AFTER)
    expect(t.stances[0]?.status).toBe('not-elector')
    expect(t.cast).toBe(0)
  })
})

describe('[C3] stale stances', () => {
  it('[C3] a stance answering another revision is stale and not counted', () => {
    const t = tallyPoll(POLL, def('consent'), [stance(1, 'objection', { revision: 'X'.repeat(43) }), stance(2, 'consent')], [], AFTER)
    expect(t.stances.map((s) => s.status)).toEqual(['stale', 'counted'])
    expect(t.result).toBe('passed')
  })
})

describe('[C9] closing', () => {
  it('[C9] a late stance cast before close counts; one cast after close does not', () => {
    const d = def('consent')
    const t = tallyPoll(POLL, d, [stance(1, 'consent', { castAt: CLOSE }), stance(2, 'objection', { castAt: CLOSE + 1 })], [], AFTER)
    expect(t.stances.map((s) => s.status)).toEqual(['counted', 'late'])
    expect(t.result).toBe('passed')
  })

  it('[C9] the in-time stance counts when a later one of the same member is late', () => {
    const t = tallyPoll(POLL, def('consent'), [stance(1, 'consent', { seq: 1 }), stance(1, 'objection', { seq: 2, castAt: CLOSE + 5 })], [], AFTER)
    expect(t.counts).toMatchObject({ consent: 1, objection: 0 })
  })

  it('[C9] open before closesAt, provisional until every elector has a counted stance or a marker, then final', () => {
    const d = def('consent')
    const votes = [stance(0, 'consent'), stance(1, 'consent')]
    expect(tallyPoll(POLL, d, votes, [], CLOSE - 1).status).toBe('open')
    const provisional = tallyPoll(POLL, d, votes, [marker(2)], AFTER)
    expect([provisional.status, provisional.pending]).toEqual(['provisional', [M(3)]])
    expect(tallyPoll(POLL, d, votes, [marker(2), marker(3)], AFTER).status).toBe('final')
  })

  it('[C9] a marker written before close does not settle its member', () => {
    const t = tallyPoll(POLL, def('consent'), [], [marker(1, 0, CLOSE - 1)], AFTER)
    expect(t.pending).toContain(M(1))
  })

  it('[C9] a stance numbered after the member’s own marker does not count', () => {
    const t = tallyPoll(POLL, def('consent'), [stance(1, 'consent', { seq: 1 }), stance(1, 'objection', { seq: 2, reason: 'x' })], [marker(1, 1)], AFTER)
    expect(t.stances.map((s) => s.status)).toEqual(['counted', 'after-marker'])
  })
})

describe('[C11] chambers', () => {
  const chambers = [
    { chamber: 'ChamberAChamberAChamb0' as never, name: 'Workers', bp: 5000, electors: [M(0), M(1)] },
    { chamber: 'ChamberBChamberBChamb0' as never, name: 'Users', bp: 10000, electors: [M(2), M(3)] },
  ]
  it('[C11] every affected chamber must pass on its own', () => {
    const d = def('majority', { chambers })
    const all = tallyPoll(POLL, d, [stance(0, 'yes'), stance(1, 'no'), stance(2, 'yes'), stance(3, 'yes')], [], AFTER)
    expect(all.chambers.map((c) => c.passed)).toEqual([true, true])
    expect(all.result).toBe('passed')
    const split = tallyPoll(POLL, d, [stance(0, 'yes'), stance(1, 'yes'), stance(2, 'yes'), stance(3, 'no')], [], AFTER)
    expect(split.chambers.map((c) => c.passed)).toEqual([true, false])
    expect(split.result).toBe('not-passed')
  })

  it('[C11] a chamber where nobody took a position does not pass', () => {
    const d = def('consent', { chambers })
    const t = tallyPoll(POLL, d, [stance(0, 'consent'), stance(1, 'consent')], [], AFTER)
    expect(t.chambers.map((c) => c.passed)).toEqual([true, false])
    expect(t.passed).toBe(false)
  })
})

describe('[C13] the opener cannot approve alone', () => {
  it('[C13] the opener’s own approval is not enough to pass', () => {
    const d = def('consent')
    expect(tallyPoll(POLL, d, [stance(0, 'consent'), stance(1, 'abstain' as never)], [], AFTER).passed).toBe(false)
    expect(tallyPoll(POLL, d, [stance(0, 'consent')], [], AFTER).safeguardMet).toBe(false)
    expect(tallyPoll(POLL, d, [stance(0, 'consent'), stance(1, 'consent')], [], AFTER).passed).toBe(true)
    const score = tallyPoll(POLL, def('score'), [stance(0, [5, 0, 0]), stance(1, [0, 1, 0])], [], AFTER)
    expect([score.winner, score.result]).toEqual([0, 'not-passed'])
  })
})

describe('[C10] the tally is a function of the set', () => {
  it('[C10] reordering and duplicating stances and markers change nothing', () => {
    const d = def('consensus')
    const votes = [stance(0, 'agree'), stance(1, 'disagree'), stance(2, 'agree', { seq: 2 }), stance(2, 'block', { seq: 1 })]
    const a = tallyPoll(POLL, d, votes, [marker(3)], AFTER)
    const b = tallyPoll(POLL, d, [...votes].reverse().concat(votes), [marker(3), marker(3)], AFTER)
    expect(b).toEqual(a)
  })
})
