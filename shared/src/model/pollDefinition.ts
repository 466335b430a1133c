import type { CharterContent } from './charter'
import type { MemberId, PollId, ProposalId } from './ids'
import type { PollChamber, PollMethod, PollParams, ReasonsSetting, ResultsVisibility } from './decisions'

/*
 * The poll definition is the one decision type that carries a charter (an amendment's content), so
 * it lives apart from model/decisions.ts, which model/charter.ts builds on: no import cycle.
 */

/** A poll's signed definition (SPEC [C1]). */
export interface PollDefinition {
  readonly v: 1
  readonly proposal: ProposalId
  readonly opener: MemberId
  readonly openedAt: number
  readonly closesAt: number
  readonly method: PollMethod
  readonly params: PollParams
  /** The options voted on by score, ranked choice and dot vote; empty for single-question methods. */
  readonly options: readonly string[]
  readonly quorumPct: number
  readonly reasons: ReasonsSetting
  readonly results: ResultsVisibility
  /** The charter revision the poll runs under, and the hash of that revision's content. */
  readonly charter: { readonly revision: number; readonly hash: string }
  /** Member ids entitled to vote, sorted. */
  readonly electorate: readonly MemberId[]
  readonly chambers: readonly PollChamber[]
  /** Hash of the proposal revision under vote (title, body text, amendment content). */
  readonly revision: string
  /** The title as it was when the poll opened. */
  readonly title: string
  /** For a charter amendment: the charter content put to the vote. */
  readonly amendment: CharterContent | null
  /** The poll this one restarts, if any. */
  readonly supersedes: PollId | null
}

