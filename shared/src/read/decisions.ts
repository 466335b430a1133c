import type * as Y from 'yjs'
import { checkCharterContent, type CharterContent } from '../model/charter'
import { DECISION_LIMITS, type MarkerBody } from '../model/decisions'
import type { PollDefinition } from '../model/pollDefinition'
import {
  isActorId,
  isMemberId,
  isPollId,
  isProposalId,
  type ActorId,
  type ChamberId,
  type MemberId,
  type PollId,
  type ProposalId,
  type ThreadId,
} from '../model/ids'
import { deriveCharterChain, pollProblemUnder, type CharterChain, type VerifiedCharterRecord } from '../rules/charterChain'
import {
  parseCharterRecord,
  parseMarkerBody,
  parsePollDefinition,
  parseStanceBody,
  recordId,
  verifyRecord,
  type DeviceOwners,
} from '../rules/decisionRecords'
import { SIGNATURE_DOMAINS } from '../rules/signatures'
import { tallyPoll, type PollTally, type StanceRecord } from '../rules/tally'
import { LINKED, POLL_OUTCOME, splitLinkKey } from '../schema/keys'
import {
  yActorMembersOf,
  yActorsOf,
  yChamberMembersOf,
  yCharterAmendmentsOf,
  yCharterOf,
  yMembersOf,
  yMetaOf,
  yPollMarkersOf,
  yPollOutcomesOf,
  yPollsOf,
  yProposalsOf,
  ySignedEntriesOf,
  yStancesOf,
  yThreadsOf,
} from '../schema/roots'
import { readActors } from './map'
import { readMembership, type BoardMembership } from './membership'

/**
 * Reads of decisions and the charter (SPEC [C], [H]). Everything is verified and derived here from
 * the stored records, as a pure function of the doc's state and the time: replicas with the same
 * updates read the same polls, tallies and charter, whatever order the updates arrived in. Nothing
 * here throws on what a faulty peer wrote.
 */
export interface PollOutcome {
  readonly statement: string
  /** When the decision is to be reviewed (ms); null when no review is planned. */
  readonly reviewAt: number | null
  readonly author: MemberId | null
  readonly writtenAt: number
}

export interface PollView {
  readonly id: PollId
  readonly def: PollDefinition
  readonly tally: PollTally
  /** Restarted: a later poll on the proposal names this one as its predecessor. */
  readonly superseded: boolean
  readonly outcome: PollOutcome | null
  /** The review date has come (SPEC [C12]). */
  readonly reviewDue: boolean
  /** The id of the thread in which the decision is reviewed (the same on every device). */
  readonly reviewThread: ThreadId
}

export interface RejectedRecord {
  readonly id: string
  readonly member: MemberId | null
  readonly reason: string
}

export interface DecisionsSnapshot {
  readonly charter: CharterChain
  /** The board's creator, when the board names one (SPEC [H1]). */
  readonly creator: MemberId | null
  /** Valid polls, by opening time then id. */
  readonly polls: readonly PollView[]
  readonly rejectedPolls: readonly RejectedRecord[]
  /** Stances and markers that do not verify (unknown key, bad signature…): never counted. */
  readonly rejectedStances: readonly RejectedRecord[]
  /** Charter-amendment proposals and the content each puts forward. */
  readonly amendments: ReadonlyMap<ProposalId, CharterContent>
}

/** The review thread of a poll: its id derives from the poll id, so devices never create two (SPEC [C12]). */
export const reviewThreadId = (poll: PollId): ThreadId => recordId(`peerboard/review-thread/v1:${poll}`) as ThreadId

/**
 * Which member each device key belongs to (SPEC [J9], [I3], [C14]), by the board's membership: the
 * trust layer on a founded board, the ownership rule of member records on a legacy one
 * (keyringFromMembers). The ledger asks the same function.
 */
export const readDeviceOwners = (doc: Y.Doc): DeviceOwners => ownersIn(readMembership(doc))

const ownersIn = (membership: BoardMembership): DeviceOwners => {
  const owners = new Map<string, MemberId>()
  for (const member of membership.members.values()) {
    for (const key of member.devices) {
      const owner = membership.ownerOf(key)
      if (owner !== null) owners.set(key, owner)
    }
  }
  return owners
}

/** Actor -> the board member it is (SPEC [C11]). */
export const readActorMembers = (doc: Y.Doc): ReadonlyMap<ActorId, MemberId> => {
  const out = new Map<ActorId, MemberId>()
  const yActors = yActorsOf(doc)
  yActorMembersOf(doc).forEach((value, key) => {
    const pair = value === LINKED ? splitLinkKey(key) : null
    if (pair === null || !isActorId(pair[0]) || !isMemberId(pair[1]) || !yActors.has(pair[0])) return
    const current = out.get(pair[0])
    if (current === undefined || pair[1] < current) out.set(pair[0], pair[1]) // one member per actor, the same everywhere
  })
  return out
}

/** The members who vote in a chamber: those linked to a non-archived actor of the chamber, sorted. */
export const readChamberElectors = (doc: Y.Doc, chamber: ChamberId): readonly MemberId[] => {
  const links = readActorMembers(doc)
  const { members } = readMembership(doc)
  const electors = new Set<MemberId>()
  for (const actor of readActors(doc)) {
    const member = links.get(actor.id)
    if (member !== undefined && members.has(member) && !actor.archived && actor.chambers.includes(chamber)) electors.add(member)
  }
  return [...electors].sort()
}

/**
 * Calls `onChange` after every transaction that may change `readActorMembers`: links added or
 * removed, actors arriving. Returns the unsubscribe.
 */
export const observeActorMembers = (doc: Y.Doc, onChange: () => void): (() => void) => {
  const handler = (): void => onChange()
  const yTypes = [yActorMembersOf(doc), yActorsOf(doc)]
  for (const y of yTypes) y.observe(handler)
  return () => {
    for (const y of yTypes) y.unobserve(handler)
  }
}

export const readCharterAmendments = (doc: Y.Doc): ReadonlyMap<ProposalId, CharterContent> => {
  const out = new Map<ProposalId, CharterContent>()
  const yProposals = yProposalsOf(doc)
  yCharterAmendmentsOf(doc).forEach((value, key) => {
    if (!isProposalId(key) || !yProposals.has(key)) return
    const content = checkCharterContent(value)
    if (typeof content !== 'string') out.set(key, content)
  })
  return out
}

const outcomeOf = (value: unknown): PollOutcome | null => {
  const o = value as Record<string, unknown> | null
  if (o === null || typeof o !== 'object' || typeof o[POLL_OUTCOME.statement] !== 'string') return null
  const reviewAt = o[POLL_OUTCOME.reviewAt]
  const author = o[POLL_OUTCOME.author]
  const writtenAt = o[POLL_OUTCOME.writtenAt]
  return Object.freeze({
    statement: (o[POLL_OUTCOME.statement] as string).slice(0, DECISION_LIMITS.statementMax),
    reviewAt: Number.isSafeInteger(reviewAt) ? (reviewAt as number) : null,
    author: isMemberId(author) ? author : null,
    writtenAt: Number.isSafeInteger(writtenAt) ? (writtenAt as number) : 0,
  })
}

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Every verified stance, by poll. */
const readStancesByPoll = (
  doc: Y.Doc,
  owners: DeviceOwners,
  rejected: RejectedRecord[],
): Map<PollId, StanceRecord[]> => {
  const out = new Map<PollId, StanceRecord[]>()
  yStancesOf(doc).forEach((value, key) => {
    const v = verifyRecord(key, value, SIGNATURE_DOMAINS.stance, parseStanceBody, (b) => b.member, owners)
    if (!v.ok) {
      rejected.push({ id: key, member: v.member, reason: v.reason })
      return
    }
    out.set(v.body.poll, [...(out.get(v.body.poll) ?? []), { id: v.id, body: v.body }])
  })
  return out
}

const readMarkersByPoll = (doc: Y.Doc, owners: DeviceOwners, rejected: RejectedRecord[]): Map<PollId, MarkerBody[]> => {
  const out = new Map<PollId, MarkerBody[]>()
  yPollMarkersOf(doc).forEach((value, key) => {
    const v = verifyRecord(key, value, SIGNATURE_DOMAINS.pollMarker, parseMarkerBody, (b) => b.member, owners)
    if (!v.ok) {
      rejected.push({ id: key, member: v.member, reason: v.reason })
      return
    }
    out.set(v.body.poll, [...(out.get(v.body.poll) ?? []), v.body])
  })
  return out
}

/** The board's founder (SPEC [J1]); on a legacy board, its unsigned creator field (SPEC [H1]). */
export const readBoardCreator = (doc: Y.Doc): MemberId | null => readMembership(doc).founder

/** Everything about decisions and the charter on this board, as of `now` (SPEC [C], [H]). */
export const readDecisions = (doc: Y.Doc, now: number): DecisionsSnapshot => {
  const membership = readMembership(doc)
  const owners = ownersIn(membership)
  const rejectedPolls: RejectedRecord[] = []
  const rejectedStances: RejectedRecord[] = []
  const defs = new Map<PollId, PollDefinition>()
  yPollsOf(doc).forEach((value, key) => {
    const v = verifyRecord(key, value, SIGNATURE_DOMAINS.poll, parsePollDefinition, (b) => b.opener, owners)
    if (v.ok && isPollId(key)) defs.set(key, v.body)
    else rejectedPolls.push({ id: key, member: v.member, reason: v.ok ? 'not a poll id' : v.reason })
  })
  const stances = readStancesByPoll(doc, owners, rejectedStances)
  const markers = readMarkersByPoll(doc, owners, rejectedStances)
  const tallies = new Map<PollId, PollTally>()
  const tallyOf = (id: PollId, def: PollDefinition): PollTally => {
    let tally = tallies.get(id)
    if (tally === undefined) {
      tally = tallyPoll(id, def, stances.get(id) ?? [], markers.get(id) ?? [], now)
      tallies.set(id, tally)
    }
    return tally
  }

  const records: VerifiedCharterRecord[] = []
  const rejectedCharter: { record: string; revision: number | null; reason: string }[] = []
  yCharterOf(doc).forEach((value, key) => {
    const v = verifyRecord(key, value, SIGNATURE_DOMAINS.charter, parseCharterRecord, (b) => b.by, owners)
    if (v.ok) records.push({ id: v.id, body: v.body })
    else rejectedCharter.push({ record: key, revision: null, reason: v.reason })
  })
  const creator = membership.founder
  const charter = deriveCharterChain({
    records,
    rejected: rejectedCharter,
    creator,
    founding:
      membership.genesis === null || creator === null
        ? null
        : { record: membership.genesis.hash, content: membership.genesis.charter, by: creator, adoptedAt: membership.genesis.at },
    polls: defs,
    finalAndPassed: (id) => {
      const def = defs.get(id)
      if (def === undefined) return false
      const tally = tallyOf(id, def)
      return tally.status === 'final' && tally.passed
    },
  })

  const valid: [PollId, PollDefinition][] = []
  for (const [id, def] of defs) {
    const revision = charter.revisions[def.charter.revision]
    const problem =
      revision === undefined
        ? 'it runs under a charter revision that is not in force on this device (yet)'
        : pollProblemUnder(def, revision)
    if (problem === null) valid.push([id, def])
    else rejectedPolls.push({ id, member: def.opener, reason: problem })
  }
  const supersededIds = new Set<string>()
  for (const [, def] of valid) if (def.supersedes !== null) supersededIds.add(def.supersedes)
  const yOutcomes = yPollOutcomesOf(doc)
  const polls: PollView[] = valid
    .sort(([a, da], [b, db]) => da.openedAt - db.openedAt || compareIds(a, b))
    .map(([id, def]) => {
      const outcome = outcomeOf(yOutcomes.get(id))
      return Object.freeze({
        id,
        def,
        tally: tallyOf(id, def),
        superseded: supersededIds.has(id),
        outcome,
        reviewDue: outcome !== null && outcome.reviewAt !== null && now >= outcome.reviewAt,
        reviewThread: reviewThreadId(id),
      })
    })
  rejectedPolls.sort((a, b) => compareIds(a.id, b.id))
  rejectedStances.sort((a, b) => compareIds(a.id, b.id))
  return Object.freeze({
    charter,
    creator,
    polls: Object.freeze(polls),
    rejectedPolls: Object.freeze(rejectedPolls),
    rejectedStances: Object.freeze(rejectedStances),
    amendments: readCharterAmendments(doc),
  })
}

/** A proposal's polls, oldest first, and its current one: the latest not restarted (SPEC [C3]). */
export const proposalPolls = (
  snapshot: DecisionsSnapshot,
  proposal: ProposalId,
): { readonly polls: readonly PollView[]; readonly current: PollView | null } => {
  const polls = snapshot.polls.filter((p) => p.def.proposal === proposal)
  const heads = polls.filter((p) => !p.superseded)
  return { polls, current: heads[heads.length - 1] ?? null }
}

/** Whether the review thread of a poll exists on this device. */
export const hasReviewThread = (doc: Y.Doc, poll: PollId): boolean => yThreadsOf(doc).has(reviewThreadId(poll))

/** Calls `onChange` after every transaction that may change decisions or the charter; returns the unsubscribe. */
export const observeDecisions = (doc: Y.Doc, onChange: () => void): (() => void) => {
  const handler = (): void => onChange()
  const yTypes = [
    yPollsOf(doc),
    yStancesOf(doc),
    yPollMarkersOf(doc),
    yPollOutcomesOf(doc),
    yCharterOf(doc),
    yCharterAmendmentsOf(doc),
    yMembersOf(doc),
    ySignedEntriesOf(doc),
    yMetaOf(doc),
    yProposalsOf(doc),
    yActorMembersOf(doc),
    yChamberMembersOf(doc),
    yThreadsOf(doc),
  ]
  for (const y of yTypes) y.observe(handler)
  return () => {
    for (const y of yTypes) y.unobserve(handler)
  }
}
