import type { CharterContent } from '../model/charter'
import { BINDING_METHODS } from '../model/decisions'
import type { PollDefinition } from '../model/pollDefinition'
import type { MemberId, PollId } from '../model/ids'
import { charterHash, type CharterRecordBody } from './decisionRecords'

/**
 * The charter in force, derived (SPEC [H1]-[H5]), never trusted as written: revision 0 is the board
 * creator's first charter; revision n+1 is in force only when a charter-amendment poll that ran
 * under revision n, on exactly that content, is final and passed. Every other record in the charter
 * storage is flagged with its reason and ignored. A pure function of the sets it is given.
 */
export interface CharterRevision {
  readonly revision: number
  readonly content: CharterContent
  readonly contentHash: string
  /** The amendment poll that adopted it; null for revision 0. */
  readonly poll: PollId | null
  readonly by: MemberId
  readonly adoptedAt: number
  /** The stored record's key. */
  readonly record: string
}

export interface FlaggedCharterRecord {
  readonly record: string
  readonly revision: number | null
  readonly reason: string
}

export interface CharterChain {
  /** Revisions in force one after the other, oldest first; empty when the board has no charter. */
  readonly revisions: readonly CharterRevision[]
  readonly inForce: CharterRevision | null
  /** False while revision 0 (the creator's charter) is in force. */
  readonly ratified: boolean
  readonly flagged: readonly FlaggedCharterRecord[]
}

export interface VerifiedCharterRecord {
  readonly id: string
  readonly body: CharterRecordBody
}

/** Whether a poll definition keeps the rules of the charter revision it names (SPEC [C1]); null when it does. */
export const pollProblemUnder = (def: PollDefinition, revision: CharterRevision): string | null => {
  if (def.charter.revision !== revision.revision || def.charter.hash !== revision.contentHash) {
    return 'the poll names another charter revision'
  }
  const c = revision.content
  if (c.openers === 'listed' && !c.openerList.includes(def.opener)) return 'the opener may not open polls under this charter'
  if (def.quorumPct !== c.quorumPct) return 'the poll’s quorum is not the charter’s'
  if (def.reasons !== c.reasons) return 'the poll’s reasons setting is not the charter’s'
  for (const ch of def.chambers) {
    const rule = c.chambers.find((x) => x.chamber === ch.chamber)
    if (rule === undefined || rule.bp !== ch.bp) return 'the poll’s chamber thresholds are not the charter’s'
  }
  if (def.closesAt - def.openedAt < c.graceMinutes * 60_000) return 'the poll closes sooner than the charter allows'
  if (def.amendment !== null && !BINDING_METHODS.includes(def.method)) return 'a charter amendment needs a binding method'
  return null
}

export interface ChainInput {
  readonly records: readonly VerifiedCharterRecord[]
  /** Stored records that did not verify, with why. */
  readonly rejected: readonly FlaggedCharterRecord[]
  /** The board's creator when the board names one. */
  readonly creator: MemberId | null
  /**
   * A founded board's revision 0, as its genesis states it (SPEC [J1], [H1]): then no charter
   * record can be revision 0.
   */
  readonly founding: {
    readonly record: string
    readonly content: CharterContent
    readonly by: MemberId
    readonly adoptedAt: number
  } | null
  /** Verified poll definitions. */
  readonly polls: ReadonlyMap<PollId, PollDefinition>
  /** Whether a poll's outcome is final and passed. */
  readonly finalAndPassed: (poll: PollId) => boolean
}

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const revisionOf = (r: VerifiedCharterRecord): CharterRevision => ({
  revision: r.body.revision,
  content: r.body.content,
  contentHash: r.body.contentHash,
  poll: r.body.poll,
  by: r.body.by,
  adoptedAt: r.body.adoptedAt,
  record: r.id,
})

export const deriveCharterChain = (input: ChainInput): CharterChain => {
  const flagged: FlaggedCharterRecord[] = [...input.rejected]
  const used = new Set<string>()
  const flag = (r: VerifiedCharterRecord, reason: string): void => {
    used.add(r.id)
    flagged.push({ record: r.id, revision: r.body.revision, reason })
  }
  const byRevision = new Map<number, VerifiedCharterRecord[]>()
  for (const r of input.records) byRevision.set(r.body.revision, [...(byRevision.get(r.body.revision) ?? []), r])

  const geneses = (byRevision.get(0) ?? []).filter((r) => {
    if (input.founding !== null) {
      flag(r, 'this board’s first charter is in its founding entry')
      return false
    }
    if (input.creator !== null && r.body.by !== input.creator) {
      flag(r, 'a first charter written by someone other than the board’s creator')
      return false
    }
    return true
  })
  geneses.sort((a, b) => a.body.adoptedAt - b.body.adoptedAt || compareIds(a.id, b.id))
  const revisions: CharterRevision[] = []
  const first = geneses[0]
  if (input.founding !== null) {
    const f = input.founding
    revisions.push({ revision: 0, content: f.content, contentHash: charterHash(f.content), poll: null, by: f.by, adoptedAt: f.adoptedAt, record: f.record })
  } else if (first !== undefined) {
    used.add(first.id)
    revisions.push(revisionOf(first))
    for (const other of geneses.slice(1)) flag(other, 'another first charter came before it')
  }

  for (let current = revisions[0]; current !== undefined; ) {
    const here: CharterRevision = current
    const candidates: { record: VerifiedCharterRecord; def: PollDefinition }[] = []
    for (const r of byRevision.get(here.revision + 1) ?? []) {
      const poll = r.body.poll
      const def = poll === null ? undefined : input.polls.get(poll)
      if (r.body.prev !== here.contentHash) flag(r, `it does not follow revision ${here.revision} in force`)
      else if (poll === null || def === undefined) flag(r, 'the amendment poll it names is not on this device (yet)')
      else if (def.amendment === null || charterHash(def.amendment) !== r.body.contentHash) {
        flag(r, 'no charter-amendment poll carried exactly this content')
      } else if (pollProblemUnder(def, here) !== null) flag(r, `its poll is invalid: ${pollProblemUnder(def, here) ?? ''}`)
      else if (!input.finalAndPassed(poll)) flag(r, 'its amendment poll has not passed (or is not final yet)')
      else candidates.push({ record: r, def })
    }
    candidates.sort(
      (a, b) =>
        a.def.closesAt - b.def.closesAt ||
        compareIds(a.record.body.poll ?? '', b.record.body.poll ?? '') ||
        compareIds(a.record.id, b.record.id),
    )
    const chosen = candidates[0]
    if (chosen === undefined) break
    used.add(chosen.record.id)
    for (const other of candidates.slice(1)) {
      if (other.record.body.poll === chosen.record.body.poll) used.add(other.record.id) // the same adoption, written by another device
      else flag(other.record, `another amendment was adopted as revision ${here.revision + 1} first`)
    }
    current = revisionOf(chosen.record)
    revisions.push(current)
  }
  for (const r of input.records) {
    if (!used.has(r.id)) flag(r, `it does not follow from a passing amendment of the charter in force`)
  }
  flagged.sort((a, b) => compareIds(a.record, b.record))
  const inForce = revisions[revisions.length - 1] ?? null
  return {
    revisions,
    inForce,
    ratified: inForce !== null && inForce.revision > 0,
    flagged,
  }
}
