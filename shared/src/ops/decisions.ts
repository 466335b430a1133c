import type * as Y from 'yjs'
import {
  BINDING_METHODS,
  choiceProblem,
  DECISION_LIMITS,
  defaultParams,
  isPollMethod,
  isResultsVisibility,
  reasonProblem,
  requireMethodSetup,
  type PollChamber,
  type PollMethod,
  type PollParams,
  type ResultsVisibility,
  type StanceChoice,
} from '../model/decisions'
import type { PollDefinition } from '../model/pollDefinition'
import { DIALOGUE_LIMITS } from '../model/dialogue'
import { invalidInput, PeerboardError } from '../model/errors'
import { isActorId, isPollId, isProposalId, type ActorId, type MemberId, type PollId, type ProposalId, type ThreadId } from '../model/ids'
import { requireLine, requireTimestamp } from '../model/text'
import { proposalPolls, readChamberElectors, readDecisions, type PollView } from '../read/decisions'
import { readActor, readAffected } from '../read/map'
import { readMembership } from '../read/membership'
import { readProposal } from '../read/proposals'
import type { CanonicalValue } from '../rules/canonical'
import { charterHash, proposalRevisionHash, recordId, signRecord } from '../rules/decisionRecords'
import type { HlcClock } from '../rules/hlc'
import { SIGNATURE_DOMAINS, type Signer } from '../rules/signatures'
import { linkKey, LINKED, POLL_OUTCOME } from '../schema/keys'
import { LOCAL_ORIGIN } from '../schema/origins'
import { yActorMembersOf, yPollMarkersOf, yPollOutcomesOf, yPollsOf, yStancesOf } from '../schema/roots'
import { requireSignerOf } from './charter'
import { createThread } from './dialogue'

/**
 * Decision writes (SPEC [C1]-[C13]). Polls, stances and markers are signed records stored under
 * the hash of their bytes: add-only, so concurrent writes never overwrite each other. Each op
 * validates first, then writes in one transaction.
 */

export interface OpenPollInput {
  readonly proposal: ProposalId
  readonly opener: MemberId
  readonly openedAt: number
  readonly closesAt: number
  /** Defaults to the charter's method and parameters. */
  readonly method?: PollMethod
  readonly params?: PollParams
  readonly options?: readonly string[]
  /** Defaults to the charter's. */
  readonly results?: ResultsVisibility
  /** The proposal's body as plain text now: the body lives in its own doc, so the caller passes it. */
  readonly body: string
  /** The poll this one restarts (SPEC [C3]). */
  readonly supersedes?: PollId
}

const requirePoll = (doc: Y.Doc, id: unknown, now: number): PollView => {
  if (!isPollId(id)) throw invalidInput('poll', 'That must be a poll id.')
  const poll = readDecisions(doc, now).polls.find((p) => p.id === id)
  if (poll === undefined) throw new PeerboardError('not-found', 'That poll is not on this board (or is not valid).', 'poll')
  return poll
}

/** The revision of a proposal a poll would freeze: its title, body text and amendment content (SPEC [C3]). */
export const currentProposalRevision = (doc: Y.Doc, proposal: ProposalId, body: string): string | null => {
  const p = readProposal(doc, proposal)
  if (p === null) return null
  const amendment = readDecisions(doc, 0).amendments.get(proposal)
  return proposalRevisionHash({ title: p.title, body, amendment: amendment === undefined ? null : charterHash(amendment) })
}

/**
 * Opens a poll on a proposal under the charter in force, or restarts one (`supersedes`), and
 * returns its id (SPEC [C1], [C3]). The definition freezes method, parameters, options, closing
 * time, the charter revision, the electorate (every verified member), the affected chambers with
 * their members, and the proposal revision under vote.
 */
export const openPoll = (doc: Y.Doc, signer: Signer, input: OpenPollInput): PollId => {
  const opener = requireSignerOf(doc, signer, input.opener, 'opener')
  if (!isProposalId(input.proposal)) throw invalidInput('proposal', 'That must be a proposal id.')
  const proposal = readProposal(doc, input.proposal)
  if (proposal === null) throw new PeerboardError('not-found', 'That proposal does not exist on this board.', 'proposal')
  const openedAt = requireTimestamp('openedAt', input.openedAt)
  const closesAt = requireTimestamp('closesAt', input.closesAt)
  if (typeof input.body !== 'string') throw invalidInput('body', 'The proposal text must be text.')
  const snapshot = readDecisions(doc, openedAt)
  const charter = snapshot.charter.inForce
  if (charter === null) {
    throw new PeerboardError('forbidden', 'This board has no charter yet: its creator writes the first one.', 'charter')
  }
  const rules = charter.content
  if (rules.openers === 'listed' && !rules.openerList.includes(opener)) {
    throw new PeerboardError('forbidden', 'The charter does not let you open polls.', 'opener')
  }
  if (closesAt <= openedAt) throw invalidInput('closesAt', 'The poll must close after it opens.')
  if (closesAt - openedAt < rules.graceMinutes * 60_000) {
    throw invalidInput('closesAt', `The charter keeps a poll open at least ${rules.graceMinutes} minutes.`)
  }
  const method = input.method ?? rules.method
  if (!isPollMethod(method)) throw invalidInput('method', 'Unknown decision method.')
  const params = input.params ?? (input.method === undefined ? rules.params : defaultParams(method))
  const options = (input.options ?? []).map((o, i) => requireLine('options', `Option ${i + 1}`, o, DECISION_LIMITS.optionMax))
  requireMethodSetup(method, options, params)
  const results = input.results ?? rules.results
  if (!isResultsVisibility(results)) throw invalidInput('results', 'Unknown results setting.')
  const amendment = snapshot.amendments.get(input.proposal) ?? null
  if (amendment !== null && !BINDING_METHODS.includes(method)) {
    throw invalidInput('method', 'A charter amendment is decided by consent, consensus, majority or supermajority.')
  }
  const { current } = proposalPolls(snapshot, input.proposal)
  const supersedes = input.supersedes ?? null
  if (supersedes !== null && current?.id !== supersedes) {
    throw invalidInput('supersedes', 'Only the proposal’s current poll can be restarted.')
  }
  if (supersedes === null && current !== null && current.tally.status === 'open') {
    throw invalidInput('proposal', 'A poll is already open on this proposal: restart it instead.')
  }
  const electorate = [...readMembership(doc).members.keys()].sort()
  if (electorate.length === 0) throw invalidInput('opener', 'The board has no verified members.')
  if (electorate.length > DECISION_LIMITS.electorateMax) throw invalidInput('opener', 'Too many members for one poll.')
  const affected = readAffected(doc, input.proposal).chambers
  const chambers: PollChamber[] = []
  for (const rule of rules.chambers) {
    const chamber = affected.find((c) => c.id === rule.chamber)
    if (chamber !== undefined) {
      chambers.push({ chamber: rule.chamber, name: chamber.name, bp: rule.bp, electors: readChamberElectors(doc, rule.chamber) })
    }
  }
  const def: PollDefinition = {
    v: 1,
    proposal: input.proposal,
    opener,
    openedAt,
    closesAt,
    method,
    params,
    options,
    quorumPct: rules.quorumPct,
    reasons: rules.reasons,
    results,
    charter: { revision: charter.revision, hash: charter.contentHash },
    electorate,
    chambers,
    revision: proposalRevisionHash({
      title: proposal.title,
      body: input.body,
      amendment: amendment === null ? null : charterHash(amendment),
    }),
    title: proposal.title,
    amendment,
    supersedes,
  }
  const envelope = signRecord(signer, SIGNATURE_DOMAINS.poll, def as unknown as CanonicalValue)
  const id = recordId(envelope.body) as PollId
  doc.transact(() => {
    yPollsOf(doc).set(id, envelope)
  }, LOCAL_ORIGIN)
  return id
}

export interface CastStanceInput {
  readonly poll: PollId
  readonly member: MemberId
  readonly choice: StanceChoice
  readonly reason: string
  readonly castAt: number
}

/**
 * Casts (or changes) a member's stance on a poll (SPEC [C4], [C5]): signed by this device, with the
 * member's next sequence number, answering the revision the poll froze. Refused after close.
 */
export const castStance = (doc: Y.Doc, signer: Signer, input: CastStanceInput): string => {
  const member = requireSignerOf(doc, signer, input.member, 'member')
  const castAt = requireTimestamp('castAt', input.castAt)
  const poll = requirePoll(doc, input.poll, castAt)
  const def = poll.def
  if (poll.superseded) throw new PeerboardError('forbidden', 'This poll was restarted: take a stance on the new one.', 'poll')
  if (!def.electorate.includes(member)) throw new PeerboardError('forbidden', 'You are not in this poll’s electorate.', 'member')
  if (castAt > def.closesAt) throw new PeerboardError('forbidden', 'This poll has closed.', 'poll')
  const choice = typeof input.choice === 'string' ? input.choice : [...input.choice]
  const choiceIssue = choiceProblem(def.method, def.options, def.params, choice)
  if (choiceIssue !== null) throw invalidInput('choice', `Invalid choice: ${choiceIssue}.`)
  if (typeof input.reason !== 'string') throw invalidInput('reason', 'The reason must be text.')
  const reason = input.reason.replace(/\r\n?/g, '\n').trim()
  if ([...reason].length > DECISION_LIMITS.reasonMax) {
    throw invalidInput('reason', `The reason is longer than ${DECISION_LIMITS.reasonMax} characters.`)
  }
  const reasonIssue = reasonProblem(def.reasons, choice, reason)
  if (reasonIssue !== null) throw invalidInput('reason', `${reasonIssue[0]?.toUpperCase() ?? ''}${reasonIssue.slice(1)}.`)
  const seq = Math.max(0, ...poll.tally.stances.filter((s) => s.member === member).map((s) => s.seq)) + 1
  const envelope = signRecord(signer, SIGNATURE_DOMAINS.stance, {
    v: 1,
    poll: poll.id,
    member,
    seq,
    castAt,
    revision: def.revision,
    choice: typeof choice === 'string' ? choice : [...choice],
    reason,
  })
  const id = recordId(envelope.body)
  doc.transact(() => {
    yStancesOf(doc).set(id, envelope)
  }, LOCAL_ORIGIN)
  return id
}

/**
 * Writes this member's signed "seen after close" marker (SPEC [C9]) once the poll has closed and
 * the member has neither a counted stance nor a marker on this device. Returns whether it wrote.
 */
export const markSeenAfterClose = (
  doc: Y.Doc,
  signer: Signer,
  input: { readonly poll: PollId; readonly member: MemberId; readonly seenAt: number },
): boolean => {
  const member = requireSignerOf(doc, signer, input.member, 'member')
  const seenAt = requireTimestamp('seenAt', input.seenAt)
  const poll = requirePoll(doc, input.poll, seenAt)
  if (seenAt < poll.def.closesAt) throw invalidInput('seenAt', 'The poll has not closed yet.')
  if (!poll.def.electorate.includes(member) || !poll.tally.pending.includes(member)) return false
  const lastSeq = Math.max(0, ...poll.tally.stances.filter((s) => s.member === member).map((s) => s.seq))
  const envelope = signRecord(signer, SIGNATURE_DOMAINS.pollMarker, { v: 1, poll: poll.id, member, seenAt, lastSeq })
  doc.transact(() => {
    yPollMarkersOf(doc).set(recordId(envelope.body), envelope)
  }, LOCAL_ORIGIN)
  return true
}

/**
 * Records a decided poll's outcome statement and review date (SPEC [C12]), written by an elector
 * once the poll has closed. Last writer wins over the whole value.
 */
export const setPollOutcome = (
  doc: Y.Doc,
  input: {
    readonly poll: PollId
    readonly author: MemberId
    readonly statement: string
    readonly reviewAt: number | null
    readonly writtenAt: number
  },
): void => {
  const writtenAt = requireTimestamp('writtenAt', input.writtenAt)
  const poll = requirePoll(doc, input.poll, writtenAt)
  if (poll.tally.status === 'open') throw new PeerboardError('forbidden', 'The poll is still open.', 'poll')
  if (!poll.def.electorate.includes(input.author)) {
    throw new PeerboardError('forbidden', 'Only an elector of the poll writes its outcome.', 'author')
  }
  if (typeof input.statement !== 'string') throw invalidInput('statement', 'The outcome must be text.')
  const statement = input.statement.replace(/\r\n?/g, '\n').trim()
  if (statement === '' || [...statement].length > DECISION_LIMITS.statementMax) {
    throw invalidInput('statement', `The outcome statement is 1 to ${DECISION_LIMITS.statementMax} characters.`)
  }
  const reviewAt = input.reviewAt === null ? null : requireTimestamp('reviewAt', input.reviewAt)
  doc.transact(() => {
    yPollOutcomesOf(doc).set(poll.id, {
      [POLL_OUTCOME.statement]: statement,
      [POLL_OUTCOME.reviewAt]: reviewAt,
      [POLL_OUTCOME.author]: input.author,
      [POLL_OUTCOME.writtenAt]: writtenAt,
    })
  }, LOCAL_ORIGIN)
}

/**
 * Opens the review thread of a decided poll whose review date has come (SPEC [C12]). Its id is
 * derived from the poll's, so devices that open it at once write the same thread; when this
 * device already has it, nothing is written. Returns the thread id.
 */
export const openReviewThread = (
  doc: Y.Doc,
  input: { readonly poll: PollId; readonly author: MemberId; readonly now: number },
  options: { readonly clock: HlcClock },
): ThreadId => {
  const now = requireTimestamp('now', input.now)
  const poll = requirePoll(doc, input.poll, now)
  if (!poll.reviewDue) throw invalidInput('poll', 'The decision is not due for review.')
  const title = `Review: ${poll.def.title}`.slice(0, DIALOGUE_LIMITS.threadTitleMax)
  return createThread(
    doc,
    { subject: { kind: 'proposal', id: poll.def.proposal }, title, author: input.author },
    { clock: options.clock, id: poll.reviewThread },
  )
}

/**
 * Says which board member an actor of the stakeholder map is (null: nobody), so that the member
 * votes in the actor's chambers (SPEC [C11]). Writes only the links that change.
 */
export const setActorMember = (doc: Y.Doc, actor: ActorId, member: MemberId | null): void => {
  if (!isActorId(actor) || readActor(doc, actor) === null) {
    throw new PeerboardError('not-found', 'That actor is not on this board’s stakeholder map.', 'actor')
  }
  if (member !== null && !readMembership(doc).members.has(member)) {
    throw new PeerboardError('not-found', 'That member is not on this board.', 'member')
  }
  const yLinks = yActorMembersOf(doc)
  const prefix = `${actor}:`
  const stale = [...yLinks.keys()].filter((k) => k.startsWith(prefix) && k !== (member === null ? '' : linkKey(actor, member)))
  const add = member !== null && yLinks.get(linkKey(actor, member)) !== LINKED
  if (stale.length === 0 && !add) return
  doc.transact(() => {
    for (const key of stale) yLinks.delete(key)
    if (add) yLinks.set(linkKey(actor, member), LINKED)
  }, LOCAL_ORIGIN)
}
