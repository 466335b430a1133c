import type * as Y from 'yjs'
import type { MemberId } from '../model/ids'
import { verifyMemberEnvelope, type MemberEnvelope } from '../rules/memberRecords'
import { yMembersOf } from '../schema/roots'

/** A member as the board knows them. Only `verified` members are trusted for anything. */
export interface Member {
  readonly id: MemberId
  readonly name: string
  readonly color: string
  /** Device public keys (base64url), the founder first. */
  readonly devices: readonly string[]
  readonly seq: number
  readonly updatedAt: number
}

/** A stored record that did not verify (SPEC [I4]): shown as unverified, never trusted. */
export interface UnverifiedMemberRecord {
  readonly key: string
  /** The name the record claims, if readable, for display next to "unverified". */
  readonly claimedName: string
  readonly reason: string
}

// Verifying a signature costs about a millisecond; records change rarely, so results are kept
// per exact envelope (a changed byte is a different key).
const verdicts = new Map<string, ReturnType<typeof verifyMemberEnvelope>>()
const VERDICT_CACHE_MAX = 10_000

const verify = (envelope: MemberEnvelope, member: string) => {
  const cacheKey = `${member}\n${envelope.signer}\n${envelope.sig}\n${envelope.body}`
  let verdict = verdicts.get(cacheKey)
  if (verdict === undefined) {
    verdict = verifyMemberEnvelope(envelope, member)
    if (verdicts.size >= VERDICT_CACHE_MAX) verdicts.clear()
    verdicts.set(cacheKey, verdict)
  }
  return verdict
}

const isEnvelope = (value: unknown): value is MemberEnvelope =>
  value !== null &&
  typeof value === 'object' &&
  typeof (value as MemberEnvelope).body === 'string' &&
  typeof (value as MemberEnvelope).signer === 'string' &&
  typeof (value as MemberEnvelope).sig === 'string'

const claimedName = (body: unknown): string => {
  try {
    const name: unknown = (JSON.parse(String(body)) as { name?: unknown }).name
    return typeof name === 'string' ? name.slice(0, 60) : ''
  } catch {
    return ''
  }
}

/**
 * Every member's current record (SPEC [I3]): among the verified records stored for a member, the
 * one with the highest sequence number (ties: the lowest signer key). A pure function of the set
 * of stored records.
 */
export const readMemberRecords = (doc: Y.Doc): ReadonlyMap<MemberId, Member> => readMembersWithProblems(doc).members

export const readMembersWithProblems = (
  doc: Y.Doc,
): { readonly members: ReadonlyMap<MemberId, Member>; readonly unverified: readonly UnverifiedMemberRecord[] } => {
  const best = new Map<MemberId, { member: Member; signer: string }>()
  const unverified: UnverifiedMemberRecord[] = []
  yMembersOf(doc).forEach((value, key) => {
    const [member = '', signer = ''] = key.split('/')
    if (!isEnvelope(value)) {
      unverified.push(Object.freeze({ key, claimedName: '', reason: 'record is not a member record' }))
      return
    }
    const verdict = verify(value, member)
    if (!verdict.ok || value.signer !== signer) {
      unverified.push(
        Object.freeze({
          key,
          claimedName: claimedName(value.body),
          reason: verdict.ok ? 'record is stored under another device' : verdict.reason,
        }),
      )
      return
    }
    const body = verdict.body
    const candidate: Member = Object.freeze({
      id: body.member,
      name: body.name,
      color: body.color,
      devices: Object.freeze([body.founder, ...body.devices.map((d) => d.key)]),
      seq: body.seq,
      updatedAt: body.updatedAt,
    })
    const current = best.get(body.member)
    if (
      current === undefined ||
      candidate.seq > current.member.seq ||
      (candidate.seq === current.member.seq && value.signer < current.signer)
    ) {
      best.set(body.member, { member: candidate, signer: value.signer })
    }
  })
  const members = new Map([...best].map(([id, { member }]) => [id, member] as const))
  unverified.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return Object.freeze({ members, unverified: Object.freeze(unverified) })
}

/** Verified members sorted by name, then id. */
export const readMembers = (doc: Y.Doc): readonly Member[] =>
  Object.freeze(
    [...readMemberRecords(doc).values()].sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1)),
  )

/** Calls `onChange` after every transaction that changed member records; returns the unsubscribe. */
export const observeMembers = (doc: Y.Doc, onChange: () => void): (() => void) => {
  const yMembers = yMembersOf(doc)
  const handler = (): void => onChange()
  yMembers.observe(handler)
  return () => yMembers.unobserve(handler)
}
