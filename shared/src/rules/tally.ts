import {
  APPROVING_POSITION,
  choiceProblem,
  DECISION_LIMITS,
  isPositionMethod,
  METHOD_POSITIONS,
  reasonProblem,
  type MarkerBody,
  type PassTest,
  type StanceBody,
  type StanceChoice,
} from '../model/decisions'
import type { PollDefinition } from '../model/pollDefinition'
import type { ChamberId, MemberId, PollId } from '../model/ids'

/**
 * Tallies (SPEC [C2]-[C11]): a pure function of a poll's signed definition, the set of verified
 * stances and markers, and the time. Input order and duplicates never matter: stances are keyed by
 * their id, and every choice between them is by (sequence number, id).
 */
export interface StanceRecord {
  /** The stance's key: the hash of its signed bytes. */
  readonly id: string
  readonly body: StanceBody
}

/**
 * - `counted`: the member's latest valid stance, cast by close;
 * - `superseded`: an earlier (lower sequence number) stance of the member;
 * - `late`: cast after close;
 * - `stale`: answers another revision of the proposal;
 * - `not-elector`: the member is not in the poll's electorate;
 * - `invalid`: the choice or reason does not fit the poll;
 * - `after-marker`: numbered after the member's own "seen after close" marker.
 */
export type StanceStatus = 'counted' | 'superseded' | 'late' | 'stale' | 'not-elector' | 'invalid' | 'after-marker'

export interface StanceView {
  readonly id: string
  readonly member: MemberId
  readonly seq: number
  readonly castAt: number
  readonly choice: StanceChoice
  readonly reason: string
  readonly status: StanceStatus
  /** Why it is not counted, in words; null when counted. */
  readonly why: string | null
}

export interface ChamberTally {
  readonly chamber: ChamberId
  readonly name: string
  readonly bp: number
  readonly electors: number
  readonly cast: number
  readonly approve: number
  /** Non-abstaining stances of the chamber: the base of its threshold. */
  readonly base: number
  readonly passed: boolean
}

export interface OptionTally {
  readonly index: number
  readonly label: string
  readonly score: number
  /** Whether the option meets the pass test; null when the poll has none. */
  readonly passes: boolean | null
}

export type PollStatus = 'open' | 'provisional' | 'final'
export type PollResult =
  | 'advisory'
  | 'passed'
  | 'not-passed'
  | 'blocked'
  | 'no-quorum'
  | 'chosen'
  | 'tie'
  | 'no-choice'

export interface PollTally {
  readonly poll: PollId
  readonly status: PollStatus
  /** E: the electorate's size; needed = ceil(quorumPct / 100 × E); met when cast >= needed. */
  readonly electorate: number
  readonly needed: number
  readonly cast: number
  readonly quorumMet: boolean
  /** Counted stances per position (single-question methods). */
  readonly counts: Readonly<Record<string, number>>
  /** Scores per option (score, ranked choice, dot vote), in the poll's option order. */
  readonly options: readonly OptionTally[]
  /** Option indices, best first (score descending, then option order). */
  readonly ranking: readonly number[]
  readonly winner: number | null
  readonly blocked: boolean
  readonly chambers: readonly ChamberTally[]
  /** At least one approving counted stance from someone other than the opener (SPEC [C13]). */
  readonly safeguardMet: boolean
  readonly result: PollResult
  readonly passed: boolean
  /** Electors with neither a counted stance nor a "seen after close" marker. */
  readonly pending: readonly MemberId[]
  /** Every stance of this poll, by member, then sequence number, then id. */
  readonly stances: readonly StanceView[]
}

/** ceil(pct / 100 × E) in exact integer arithmetic (SPEC [C6]). */
export const quorumNeeded = (pct: number, electorate: number): number => Math.floor((pct * electorate + 99) / 100)

/** The pass test (SPEC [C7]): `score cmp bp/10000 × base`, exactly; `>=` against an empty base fails. */
export const meetsPassTest = (score: number, base: number, test: PassTest): boolean => {
  if (test.cmp === '>=') return base > 0 && score * 10_000 >= test.bp * base
  return score * 10_000 <= test.bp * base
}

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

interface Classified {
  readonly record: StanceRecord
  status: StanceStatus
  why: string | null
}

/** The points a stance gives each option under an option method. */
const pointsOf = (def: PollDefinition, choice: StanceChoice): number[] => {
  const points = def.options.map(() => 0)
  if (typeof choice === 'string') return points
  if (def.method === 'ranked') {
    const k = def.params.choices
    choice.forEach((option, rank) => {
      points[option] = (points[option] ?? 0) + (k - rank)
    })
    return points
  }
  return choice.map((n) => n)
}

const maxPointsPerElector = (def: PollDefinition): number =>
  def.method === 'score' ? 5 : def.method === 'ranked' ? def.params.choices : def.method === 'dots' ? def.params.dots : 1

const AGAINST = new Set(['no', 'disagree', 'objection', 'block'])

export const tallyPoll = (
  poll: PollId,
  def: PollDefinition,
  stances: Iterable<StanceRecord>,
  markers: Iterable<MarkerBody>,
  now: number,
): PollTally => {
  const electors = new Set<string>(def.electorate)
  const lastSeqSeen = new Map<MemberId, number>()
  for (const marker of markers) {
    if (marker.poll !== poll || !electors.has(marker.member) || marker.seenAt < def.closesAt) continue
    lastSeqSeen.set(marker.member, Math.max(lastSeqSeen.get(marker.member) ?? 0, marker.lastSeq))
  }
  const byId = new Map<string, StanceRecord>()
  for (const stance of stances) if (stance.body.poll === poll) byId.set(stance.id, stance)

  const classified: Classified[] = []
  const latest = new Map<MemberId, Classified>()
  for (const record of byId.values()) {
    const s = record.body
    const entry: Classified = { record, status: 'counted', why: null }
    classified.push(entry)
    const choiceIssue = choiceProblem(def.method, def.options, def.params, s.choice)
    const reasonIssue =
      s.reason.length > DECISION_LIMITS.reasonMax ? 'the reason is too long' : reasonProblem(def.reasons, s.choice, s.reason)
    const markerSeq = lastSeqSeen.get(s.member)
    if (!electors.has(s.member)) [entry.status, entry.why] = ['not-elector', 'not in this poll’s electorate']
    else if (s.revision !== def.revision) [entry.status, entry.why] = ['stale', 'answers another revision of the proposal']
    else if (choiceIssue !== null) [entry.status, entry.why] = ['invalid', choiceIssue]
    else if (reasonIssue !== null) [entry.status, entry.why] = ['invalid', reasonIssue]
    else if (s.castAt > def.closesAt) [entry.status, entry.why] = ['late', 'cast after the poll closed']
    else if (markerSeq !== undefined && s.seq > markerSeq) {
      ;[entry.status, entry.why] = ['after-marker', 'arrived after this member’s device had seen the poll closed']
    }
    if (entry.status !== 'counted') continue
    const best = latest.get(s.member)
    if (
      best === undefined ||
      s.seq > best.record.body.seq ||
      (s.seq === best.record.body.seq && compareIds(record.id, best.record.id) < 0)
    ) {
      if (best !== undefined) [best.status, best.why] = ['superseded', 'replaced by a later stance']
      latest.set(s.member, entry)
    } else {
      ;[entry.status, entry.why] = ['superseded', 'replaced by a later stance']
    }
  }

  const counted = [...latest.values()].map((c) => c.record.body)
  const E = def.electorate.length
  const needed = quorumNeeded(def.quorumPct, E)
  const cast = counted.length
  const quorumMet = cast >= needed

  const counts: Record<string, number> = {}
  let options: OptionTally[] = []
  let ranking: number[] = []
  let winner: number | null = null
  let blocked = false
  let chambers: ChamberTally[] = []
  let safeguardMet = false
  let result: PollResult
  let passed: boolean

  if (isPositionMethod(def.method)) {
    for (const position of METHOD_POSITIONS[def.method]) counts[position] = 0
    for (const s of counted) counts[s.choice as string] = (counts[s.choice as string] ?? 0) + 1
    const approving = APPROVING_POSITION[def.method]
    const approve = counts[approving] ?? 0
    const against = counted.filter((s) => AGAINST.has(s.choice as string)).length
    safeguardMet = counted.some((s) => s.choice === approving && s.member !== def.opener)
    chambers = def.chambers.map((ch) => {
      const inChamber = new Set<string>(ch.electors)
      const mine = counted.filter((s) => inChamber.has(s.member))
      const yes = mine.filter((s) => s.choice === approving).length
      const base = yes + mine.filter((s) => AGAINST.has(s.choice as string)).length
      return {
        chamber: ch.chamber,
        name: ch.name,
        bp: ch.bp,
        electors: ch.electors.length,
        cast: mine.length,
        approve: yes,
        base,
        passed: meetsPassTest(yes, base, { cmp: '>=', bp: ch.bp, of: 'score' }),
      }
    })
    const chambersPass = chambers.every((c) => c.passed)
    let methodPasses: boolean
    blocked = def.method === 'consensus' && (counts.block ?? 0) > 0
    switch (def.method) {
      case 'consent':
        methodPasses = (counts.objection ?? 0) === 0
        break
      case 'majority':
        methodPasses = approve * 2 > approve + (counts.no ?? 0)
        break
      default: {
        const test = def.params.pass ?? { cmp: '>=', bp: 5000, of: 'score' }
        methodPasses = meetsPassTest(approve, test.of === 'score' ? against + approve : E, test)
      }
    }
    if (def.method === 'advice') result = 'advisory'
    else if (!quorumMet) result = 'no-quorum'
    else if (blocked) result = 'blocked'
    else if (methodPasses && safeguardMet && chambersPass) result = 'passed'
    else result = 'not-passed'
    passed = result === 'passed'
  } else {
    const scores = def.options.map(() => 0)
    for (const s of counted) pointsOf(def, s.choice).forEach((p, i) => (scores[i] = (scores[i] ?? 0) + p))
    const total = scores.reduce((a, b) => a + b, 0)
    const test = def.params.pass
    options = def.options.map((label, index) => ({
      index,
      label,
      score: scores[index] ?? 0,
      passes: test === null ? null : meetsPassTest(scores[index] ?? 0, test.of === 'score' ? total : E * maxPointsPerElector(def), test),
    }))
    ranking = options.map((o) => o.index).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b)
    const top = ranking[0]
    const second = ranking[1]
    const topScore = top === undefined ? 0 : (scores[top] ?? 0)
    if (topScore > 0 && (second === undefined || (scores[second] ?? 0) < topScore)) winner = top ?? null
    if (winner !== null) {
      safeguardMet = counted.some((s) => s.member !== def.opener && (pointsOf(def, s.choice)[winner as number] ?? 0) > 0)
    }
    if (!quorumMet) result = 'no-quorum'
    else if (topScore === 0) result = 'no-choice'
    else if (winner === null) result = 'tie'
    else if ((test === null || options[winner]?.passes === true) && safeguardMet) result = 'chosen'
    else result = 'not-passed'
    passed = result === 'chosen'
  }

  const settled = new Set<string>([...latest.keys(), ...lastSeqSeen.keys()])
  const pending = def.electorate.filter((m) => !settled.has(m))
  const status: PollStatus = now < def.closesAt ? 'open' : pending.length === 0 ? 'final' : 'provisional'

  const views: StanceView[] = classified
    .map((c) => ({
      id: c.record.id,
      member: c.record.body.member,
      seq: c.record.body.seq,
      castAt: c.record.body.castAt,
      choice: c.record.body.choice,
      reason: c.record.body.reason,
      status: c.status,
      why: c.why,
    }))
    .sort((a, b) => compareIds(a.member, b.member) || a.seq - b.seq || compareIds(a.id, b.id))

  return {
    poll,
    status,
    electorate: E,
    needed,
    cast,
    quorumMet,
    counts,
    options,
    ranking,
    winner,
    blocked,
    chambers,
    safeguardMet,
    result,
    passed,
    pending,
    stances: views,
  }
}
