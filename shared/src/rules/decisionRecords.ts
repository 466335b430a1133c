import { sha256 } from '@noble/hashes/sha2.js'
import { encodeUtf8 } from 'lib0/string'
import { checkCharterContent, type CharterContent } from '../model/charter'
import {
  DECISION_LIMITS,
  isPollMethod,
  isReasonsSetting,
  isResultsVisibility,
  requireMethodSetup,
  type MarkerBody,
  type PollChamber,
  type PollParams,
  type StanceBody,
} from '../model/decisions'
import type { PollDefinition } from '../model/pollDefinition'
import { isChamberId, isMemberId, isPollId, isProposalId, type MemberId, type PollId } from '../model/ids'
import { fromBase64url, toBase64url } from './base64url'
import { canonicalJson, type CanonicalValue } from './canonical'
import { signFor, verifyFor, type SignatureDomain, type Signer } from './signatures'

/**
 * Signed decision records (SPEC [C1], [C4], [C9], [H2]): poll definitions, stances, "seen after
 * close" markers and charter revisions. Like member records, each is the exact canonical JSON that
 * was signed, stored verbatim with the signing device key and the signature, under the hash of its
 * bytes, so that concurrent writers never overwrite each other. A record counts only when its
 * signature verifies and its device key belongs, through the board's verified member records, to
 * the member the record names.
 */
export interface SignedEnvelope {
  readonly body: string
  readonly signer: string
  readonly sig: string
}

/** The first 128 bits of SHA-256 of `text`, base64url (22 characters): a record's key. */
export const recordId = (text: string): string => toBase64url(sha256(encodeUtf8(text)).slice(0, 16))

/** The full SHA-256 of a value's canonical JSON, base64url (43 characters). */
export const contentHash = (value: CanonicalValue): string => toBase64url(sha256(encodeUtf8(canonicalJson(value))))

export const charterHash = (content: CharterContent): string => contentHash(content as unknown as CanonicalValue)

/**
 * The hash of a proposal revision (SPEC [C3]): its title, its body as plain text and, for a charter
 * amendment, the hash of the charter content it puts forward.
 */
export const proposalRevisionHash = (input: {
  readonly title: string
  readonly body: string
  readonly amendment: string | null
}): string => contentHash({ title: input.title, body: input.body, amendment: input.amendment })

export const signRecord = (signer: Signer, domain: SignatureDomain, body: CanonicalValue): SignedEnvelope => {
  const text = canonicalJson(body)
  return {
    body: text,
    signer: toBase64url(signer.publicKey),
    sig: toBase64url(signFor(signer, domain, encodeUtf8(text))),
  }
}

export const isSignedEnvelope = (value: unknown): value is SignedEnvelope =>
  value !== null &&
  typeof value === 'object' &&
  typeof (value as SignedEnvelope).body === 'string' &&
  typeof (value as SignedEnvelope).signer === 'string' &&
  typeof (value as SignedEnvelope).sig === 'string'

/** Which member each verified device key belongs to. */
export type DeviceOwners = ReadonlyMap<string, MemberId>

export type RecordVerdict<T> =
  | { readonly ok: true; readonly id: string; readonly body: T; readonly member: MemberId }
  | { readonly ok: false; readonly id: string; readonly reason: string; readonly member: MemberId | null }

const verdictCache = new Map<string, boolean>()
const CACHE_MAX = 20_000

/** Signature check over the stored bytes, cached per exact envelope (about a millisecond each). */
const signatureHolds = (envelope: SignedEnvelope, domain: SignatureDomain): boolean => {
  const key = `${domain}\n${envelope.signer}\n${envelope.sig}\n${envelope.body}`
  let ok = verdictCache.get(key)
  if (ok === undefined) {
    const signerKey = fromBase64url(envelope.signer)
    const sig = fromBase64url(envelope.sig)
    ok = signerKey !== null && sig !== null && verifyFor(signerKey, domain, encodeUtf8(envelope.body), sig)
    if (verdictCache.size >= CACHE_MAX) verdictCache.clear()
    verdictCache.set(key, ok)
  }
  return ok
}

/**
 * Verifies one stored record: stored under its own hash, canonical, parsed by `parse`, signed over
 * the stored bytes by a device key of the member the body names (`memberOf`).
 */
export const verifyRecord = <T>(
  key: string,
  value: unknown,
  domain: SignatureDomain,
  parse: (raw: unknown) => T | string,
  memberOf: (body: T) => MemberId,
  owners: DeviceOwners,
): RecordVerdict<T> => {
  if (!isSignedEnvelope(value)) return { ok: false, id: key, reason: 'not a signed record', member: null }
  let raw: unknown
  try {
    raw = JSON.parse(value.body)
  } catch {
    return { ok: false, id: key, reason: 'the record is not JSON', member: null }
  }
  const body = parse(raw)
  if (typeof body === 'string') return { ok: false, id: key, reason: body, member: null }
  const member = memberOf(body)
  let canonical: string
  try {
    canonical = canonicalJson(raw as CanonicalValue)
  } catch {
    canonical = ''
  }
  if (canonical !== value.body) return { ok: false, id: key, reason: 'the record is not in canonical form', member }
  if (recordId(value.body) !== key) return { ok: false, id: key, reason: 'the record is stored under another key', member }
  if (!signatureHolds(value, domain)) return { ok: false, id: key, reason: 'the signature does not verify', member }
  const owner = owners.get(value.signer)
  if (owner === undefined) {
    return { ok: false, id: key, reason: 'signed by a device key no verified member lists (yet)', member }
  }
  if (owner !== member) return { ok: false, id: key, reason: 'signed by a device of another member', member }
  return { ok: true, id: key, body, member }
}

const isInt = (value: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): value is number =>
  Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max

const isHash = (value: unknown): value is string => typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value)

const sortedMembers = (value: unknown, max: number): MemberId[] | null => {
  if (!Array.isArray(value) || value.length > max) return null
  const list = value as unknown[]
  if (!list.every((m) => isMemberId(m))) return null
  for (let i = 1; i < list.length; i++) if ((list[i - 1] as string) >= (list[i] as string)) return null
  return list as MemberId[]
}

/** A poll definition from parsed JSON, or why it is not one. */
export const parsePollDefinition = (raw: unknown): PollDefinition | string => {
  const d = raw as Partial<Record<keyof PollDefinition, unknown>> | null
  if (d === null || typeof d !== 'object' || d.v !== 1) return 'not a poll definition'
  if (!isProposalId(d.proposal) || !isMemberId(d.opener)) return 'the poll names no proposal or opener'
  if (!isInt(d.openedAt) || !isInt(d.closesAt) || d.closesAt <= d.openedAt) return 'the poll’s times are invalid'
  if (!isPollMethod(d.method)) return 'the poll’s method is unknown'
  const p = d.params as Partial<PollParams> | null
  if (p === null || typeof p !== 'object' || !isInt(p.dots) || !isInt(p.choices) || p.pass === undefined) {
    return 'the poll’s parameters are malformed'
  }
  const pass = p.pass as PollParams['pass']
  const params: PollParams = {
    pass: pass === null || typeof pass !== 'object' ? null : { cmp: pass.cmp, bp: pass.bp, of: pass.of },
    dots: p.dots,
    choices: p.choices,
  }
  if (pass !== null && typeof pass !== 'object') return 'the poll’s parameters are malformed'
  if (
    !Array.isArray(d.options) ||
    !(d.options as unknown[]).every((o) => typeof o === 'string' && o.length > 0 && o.length <= DECISION_LIMITS.optionMax)
  ) {
    return 'the poll’s options are malformed'
  }
  const options = d.options as string[]
  try {
    requireMethodSetup(d.method, options, params)
  } catch (error) {
    return `the poll’s settings are invalid: ${(error as Error).message}`
  }
  if (!isInt(d.quorumPct, 0, 100)) return 'the poll’s quorum is invalid'
  if (!isReasonsSetting(d.reasons) || !isResultsVisibility(d.results)) return 'the poll’s settings are malformed'
  const c = d.charter as { revision?: unknown; hash?: unknown } | null
  if (c === null || typeof c !== 'object' || !isInt(c.revision) || !isHash(c.hash)) return 'the poll names no charter revision'
  const electorate = sortedMembers(d.electorate, DECISION_LIMITS.electorateMax)
  if (electorate === null || electorate.length === 0) return 'the poll’s electorate is malformed'
  if (!Array.isArray(d.chambers)) return 'the poll’s chambers are malformed'
  const chambers: PollChamber[] = []
  for (const raw of d.chambers as unknown[]) {
    const ch = raw as Partial<Record<keyof PollChamber, unknown>> | null
    if (ch === null || typeof ch !== 'object' || !isChamberId(ch.chamber) || !isInt(ch.bp, 0, 10_000)) {
      return 'the poll’s chambers are malformed'
    }
    const electors = sortedMembers(ch.electors, DECISION_LIMITS.electorateMax)
    if (electors === null || typeof ch.name !== 'string') return 'the poll’s chambers are malformed'
    chambers.push({ chamber: ch.chamber, name: ch.name, bp: ch.bp, electors })
  }
  if (!isHash(d.revision) || typeof d.title !== 'string') return 'the poll names no proposal revision'
  let amendment: CharterContent | null = null
  if (d.amendment !== null) {
    const checked = checkCharterContent(d.amendment)
    if (typeof checked === 'string') return `the poll’s amendment is not a charter: ${checked}`
    amendment = checked
  }
  if (d.supersedes !== null && !isPollId(d.supersedes)) return 'the poll’s predecessor is malformed'
  return {
    v: 1,
    proposal: d.proposal,
    opener: d.opener,
    openedAt: d.openedAt,
    closesAt: d.closesAt,
    method: d.method,
    params,
    options,
    quorumPct: d.quorumPct,
    reasons: d.reasons,
    results: d.results,
    charter: { revision: c.revision, hash: c.hash },
    electorate,
    chambers,
    revision: d.revision,
    title: d.title,
    amendment,
    supersedes: d.supersedes as PollId | null,
  }
}

/** A stance body from parsed JSON, or why it is not one (the choice is checked against its poll later). */
export const parseStanceBody = (raw: unknown): StanceBody | string => {
  const s = raw as Partial<Record<keyof StanceBody, unknown>> | null
  if (s === null || typeof s !== 'object' || s.v !== 1) return 'not a stance'
  if (!isPollId(s.poll) || !isMemberId(s.member)) return 'the stance names no poll or member'
  if (!isInt(s.seq, 1) || !isInt(s.castAt)) return 'the stance’s sequence number or time is invalid'
  if (!isHash(s.revision)) return 'the stance names no proposal revision'
  const choice = s.choice
  if (
    typeof choice !== 'string' &&
    !(Array.isArray(choice) && choice.length <= DECISION_LIMITS.optionsMax && (choice as unknown[]).every((n) => isInt(n)))
  ) {
    return 'the stance’s choice is malformed'
  }
  if (typeof s.reason !== 'string' || s.reason.length > DECISION_LIMITS.reasonMax * 2) return 'the stance’s reason is malformed'
  return {
    v: 1,
    poll: s.poll,
    member: s.member,
    seq: s.seq,
    castAt: s.castAt,
    revision: s.revision,
    choice: typeof choice === 'string' ? choice : [...(choice as number[])],
    reason: s.reason,
  }
}

export const parseMarkerBody = (raw: unknown): MarkerBody | string => {
  const m = raw as Partial<Record<keyof MarkerBody, unknown>> | null
  if (m === null || typeof m !== 'object' || m.v !== 1) return 'not a “seen after close” marker'
  if (!isPollId(m.poll) || !isMemberId(m.member) || !isInt(m.seenAt) || !isInt(m.lastSeq)) {
    return 'the marker is malformed'
  }
  return { v: 1, poll: m.poll, member: m.member, seenAt: m.seenAt, lastSeq: m.lastSeq }
}

/** A signed charter revision (SPEC [H2]). Revision 0 has no poll and no predecessor. */
export interface CharterRecordBody {
  readonly v: 1
  readonly revision: number
  readonly content: CharterContent
  readonly contentHash: string
  /** The content hash of the revision it follows; null for revision 0. */
  readonly prev: string | null
  /** The amendment poll that adopted it; null for revision 0. */
  readonly poll: PollId | null
  readonly by: MemberId
  readonly adoptedAt: number
}

export const parseCharterRecord = (raw: unknown): CharterRecordBody | string => {
  const r = raw as Partial<Record<keyof CharterRecordBody, unknown>> | null
  if (r === null || typeof r !== 'object' || r.v !== 1) return 'not a charter revision'
  if (!isInt(r.revision) || !isMemberId(r.by) || !isInt(r.adoptedAt)) return 'the charter revision is malformed'
  const content = checkCharterContent(r.content)
  if (typeof content === 'string') return `the charter content is invalid: ${content}`
  if (!isHash(r.contentHash) || charterHash(content) !== r.contentHash) return 'the charter content does not match its hash'
  if (r.revision === 0 ? r.prev !== null || r.poll !== null : !isHash(r.prev) || !isPollId(r.poll)) {
    return 'the charter revision does not name what it follows'
  }
  return {
    v: 1,
    revision: r.revision,
    content,
    contentHash: r.contentHash,
    prev: r.prev as string | null,
    poll: r.poll as PollId | null,
    by: r.by,
    adoptedAt: r.adoptedAt,
  }
}
