import { invalidInput } from './errors'
import type { ChamberId, MemberId, PollId } from './ids'

/**
 * Decision methods and their settings (SPEC [C2]-[C8]), as plain values. A poll's settings are
 * frozen in its signed definition when it opens; the charter holds the defaults.
 */
export const POLL_METHODS = [
  'advice',
  'consent',
  'consensus',
  'majority',
  'supermajority',
  'score',
  'ranked',
  'dots',
] as const
export type PollMethod = (typeof POLL_METHODS)[number]

export const isPollMethod = (value: unknown): value is PollMethod =>
  typeof value === 'string' && (POLL_METHODS as readonly string[]).includes(value)

/** The positions a member can take under each single-question method (SPEC [C2]). */
export const METHOD_POSITIONS = {
  advice: ['agree', 'abstain'],
  consent: ['consent', 'objection'],
  consensus: ['agree', 'abstain', 'disagree', 'block'],
  majority: ['yes', 'no', 'abstain'],
  supermajority: ['yes', 'no', 'abstain'],
} as const

export type PositionMethod = keyof typeof METHOD_POSITIONS
export type OptionsMethod = 'score' | 'ranked' | 'dots'

export const isPositionMethod = (method: PollMethod): method is PositionMethod => method in METHOD_POSITIONS

/** Methods whose outcome is pass / not pass, so that they can decide a charter amendment. */
export const BINDING_METHODS: readonly PollMethod[] = ['consent', 'consensus', 'majority', 'supermajority']

/** The position that approves under each single-question method. */
export const APPROVING_POSITION: Record<PositionMethod, string> = {
  advice: 'agree',
  consent: 'consent',
  consensus: 'agree',
  majority: 'yes',
  supermajority: 'yes',
}

export const REASONS_SETTINGS = ['disabled', 'optional', 'required', 'required-for-objection'] as const
/** Whether a stance carries a reason (SPEC [C5]); `required-for-objection` covers objection and block. */
export type ReasonsSetting = (typeof REASONS_SETTINGS)[number]
export const isReasonsSetting = (value: unknown): value is ReasonsSetting =>
  typeof value === 'string' && (REASONS_SETTINGS as readonly string[]).includes(value)

export const RESULTS_VISIBILITY = ['visible', 'until-vote', 'until-close'] as const
/** When a poll's tally is shown: always, once you have taken a stance, or only after close. */
export type ResultsVisibility = (typeof RESULTS_VISIBILITY)[number]
export const isResultsVisibility = (value: unknown): value is ResultsVisibility =>
  typeof value === 'string' && (RESULTS_VISIBILITY as readonly string[]).includes(value)

/**
 * The pass test (SPEC [C7]): an option's score compared (`>=` or `<=`) with a share of the total
 * score given or of the electorate's maximum. Shares are in basis points (1/100 of a percent), so
 * that two thirds can be written (6666) and every comparison is exact integer arithmetic.
 */
export interface PassTest {
  readonly cmp: '>=' | '<='
  readonly bp: number
  readonly of: 'score' | 'electorate'
}

export interface PollParams {
  /** Null: no pass test (majority has its own rule; consent, advice and option methods need none). */
  readonly pass: PassTest | null
  /** Dot vote: dots per member (default 8). */
  readonly dots: number
  /** Ranked choice: how many options each member ranks (k). */
  readonly choices: number
}

export const DECISION_LIMITS = {
  optionsMax: 20,
  optionMax: 120,
  reasonMax: 2_000,
  /** A required reason has more than this many visible characters (SPEC [C5]). */
  reasonMinVisible: 5,
  dotsMax: 100,
  statementMax: 5_000,
  electorateMax: 500,
} as const

/** A chamber with a threshold, frozen in a poll with the members who vote in it (SPEC [C11]). */
export interface PollChamber {
  readonly chamber: ChamberId
  readonly name: string
  readonly bp: number
  readonly electors: readonly MemberId[]
}

/** A member's choice: a position for single-question methods, numbers per option otherwise. */
export type StanceChoice = string | readonly number[]

/** A stance's signed body (SPEC [C4]). */
export interface StanceBody {
  readonly v: 1
  readonly poll: PollId
  readonly member: MemberId
  readonly seq: number
  readonly castAt: number
  readonly revision: string
  readonly choice: StanceChoice
  readonly reason: string
}

/** A "seen after close" marker's signed body (SPEC [C9]). */
export interface MarkerBody {
  readonly v: 1
  readonly poll: PollId
  readonly member: MemberId
  readonly seenAt: number
  /** The highest sequence number of this member's stances the writing device had (SPEC [C9]). */
  readonly lastSeq: number
}

/** Default parameters for each method (SPEC [C6], [C7]). */
export const defaultParams = (method: PollMethod): PollParams => {
  switch (method) {
    case 'consensus':
      return { pass: { cmp: '>=', bp: 5000, of: 'score' }, dots: 0, choices: 0 }
    case 'supermajority':
      return { pass: { cmp: '>=', bp: 6666, of: 'score' }, dots: 0, choices: 0 }
    case 'dots':
      return { pass: null, dots: 8, choices: 0 }
    case 'ranked':
      return { pass: null, dots: 0, choices: 3 }
    default:
      return { pass: null, dots: 0, choices: 0 }
  }
}

/** Visible characters of a reason: whitespace does not count (SPEC [C5]). */
export const visibleLength = (text: string): number => [...text.replace(/\s+/gu, '')].length

/** Whether `reason` satisfies `setting` for `choice`; null when fine, else why not (SPEC [C5]). */
export const reasonProblem = (setting: ReasonsSetting, choice: StanceChoice, reason: string): string | null => {
  if (setting === 'disabled') return reason === '' ? null : 'this poll takes no reasons'
  const required =
    setting === 'required' || (setting === 'required-for-objection' && (choice === 'objection' || choice === 'block'))
  if (required && visibleLength(reason) <= DECISION_LIMITS.reasonMinVisible) {
    return `a reason of more than ${DECISION_LIMITS.reasonMinVisible} visible characters is required`
  }
  return null
}

const isNonNegativeInt = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0

/**
 * Whether `choice` is a valid choice under `method` with these options and params; null when it
 * is, else why not (SPEC [C2]).
 */
export const choiceProblem = (
  method: PollMethod,
  options: readonly string[],
  params: PollParams,
  choice: unknown,
): string | null => {
  if (isPositionMethod(method)) {
    return typeof choice === 'string' && (METHOD_POSITIONS[method] as readonly string[]).includes(choice)
      ? null
      : `choose one of ${METHOD_POSITIONS[method].join(', ')}`
  }
  if (!Array.isArray(choice) || !(choice as unknown[]).every(isNonNegativeInt)) return 'the choice must be whole numbers'
  const values = choice as readonly number[]
  if (method === 'score') {
    if (values.length !== options.length) return 'give every option a score'
    return values.every((v) => v <= 5) ? null : 'scores go from 0 to 5'
  }
  if (method === 'ranked') {
    if (values.length !== params.choices) return `rank exactly ${params.choices} options`
    if (new Set(values).size !== values.length) return 'rank each option at most once'
    return values.every((v) => v < options.length) ? null : 'rank options of this poll only'
  }
  if (values.length !== options.length) return 'give every option a number of dots (0 or more)'
  const total = values.reduce((a, b) => a + b, 0)
  return total <= params.dots ? null : `at most ${params.dots} dots in all`
}

/** Checks a method's params and options; throws invalid-input naming the field. */
export const requireMethodSetup = (method: PollMethod, options: readonly string[], params: PollParams): void => {
  const multi = method === 'score' || method === 'ranked' || method === 'dots'
  if (multi && options.length < 2) throw invalidInput('options', 'This method needs at least two options.')
  if (!multi && options.length > 0) throw invalidInput('options', 'This method decides the proposal itself; it takes no options.')
  if (options.length > DECISION_LIMITS.optionsMax) {
    throw invalidInput('options', `At most ${DECISION_LIMITS.optionsMax} options.`)
  }
  if (new Set(options).size !== options.length) throw invalidInput('options', 'Options must differ from each other.')
  if (method === 'dots' && (!isNonNegativeInt(params.dots) || params.dots < 1 || params.dots > DECISION_LIMITS.dotsMax)) {
    throw invalidInput('dots', `Dots per member must be between 1 and ${DECISION_LIMITS.dotsMax}.`)
  }
  if (method === 'ranked' && (!isNonNegativeInt(params.choices) || params.choices < 1 || params.choices > options.length)) {
    throw invalidInput('choices', 'Members rank between 1 and the number of options.')
  }
  const pass = params.pass
  if (pass !== null) {
    if ((pass.cmp !== '>=' && pass.cmp !== '<=') || (pass.of !== 'score' && pass.of !== 'electorate')) {
      throw invalidInput('pass', 'The pass test compares with >= or <= a share of the score or of the electorate.')
    }
    if (!isNonNegativeInt(pass.bp) || pass.bp > 10_000) throw invalidInput('pass', 'The pass share is between 0 and 100%.')
    if (method === 'advice' || method === 'consent' || method === 'majority') {
      throw invalidInput('pass', `${method} takes no pass test.`)
    }
  } else if (method === 'consensus' || method === 'supermajority') {
    throw invalidInput('pass', `${method} needs a pass test.`)
  }
}
