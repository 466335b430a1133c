import type { EntryId, LedgerId, MemberId } from '../model/ids'
import { requiredParties, type EntryBody, type EntryEnvelope } from '../model/ledger'
import type { LedgerVerifier } from './ledgerEntries'
import type { Keyring } from './memberRecords'

/**
 * Everything a ledger shows, derived from the set of stored entries and signatures (SPEC [G5],
 * [G13]): the same set gives the same view on every device, whatever order it arrived in and
 * however often. Any choice between equals is made on ids.
 */

/**
 * - `confirmed`: signed by every required party; counts.
 * - `pending`: some required party has not signed yet; counts 0.
 * - `declined`: a required party declined it before every party had signed; counts 0 (once
 *   every party has signed, it is confirmed whatever declines arrive).
 * - `reversed`: a confirmed reversal names it; counts 0.
 * - `unknown-device`: its author's key is not (yet) a verified member's device; counts 0 and is
 *   checked again when members arrive.
 * - `invalid`: it does not verify, or breaks a ledger rule; counts 0, with the reason.
 */
export type EntryStatus = 'confirmed' | 'pending' | 'declined' | 'reversed' | 'unknown-device' | 'invalid'

/** Whether an entry links to its author's previous entry: `gap` = that entry is not here (yet). */
export type ChainState = 'ok' | 'gap' | 'broken'

export interface LedgerSignature {
  readonly key: string
  readonly sig: string
}

export interface LedgerEntryView {
  readonly id: string
  /** The verified body; for an invalid entry, what it claims when readable (else null). */
  readonly body: EntryBody | null
  /** The stored envelope when the entry verifies on its own. */
  readonly envelope: EntryEnvelope | null
  readonly authorMember: MemberId | null
  readonly status: EntryStatus
  /** Why it is invalid, or what it waits for (people-readable), or null. */
  readonly reason: string | null
  /** Members whose signature it needs (SPEC [G6]). */
  readonly parties: readonly MemberId[]
  readonly signedBy: readonly MemberId[]
  readonly waitingFor: readonly MemberId[]
  readonly declinedBy: readonly MemberId[]
  /** Confirmed reversals that name it. */
  readonly reversedBy: readonly EntryId[]
  /** True when it moves balances (confirmed contribution, usage or transfer, not reversed). */
  readonly counts: boolean
  /** Another entry of its author has the same seq (SPEC [G8]). */
  readonly equivocation: boolean
  readonly chain: ChainState
  /** Valid consent and decline signatures stored for it, by device key (for export). */
  readonly consents: readonly LedgerSignature[]
  readonly declines: readonly LedgerSignature[]
}

export interface Equivocation {
  readonly author: string
  readonly authorMember: MemberId | null
  readonly seq: number
  /** The entries that share (author, seq), by id. */
  readonly ids: readonly EntryId[]
}

export interface BadSignature {
  readonly key: string
  readonly reason: string
}

export interface MemberBalance {
  readonly unit: string
  readonly member: MemberId
  readonly balance: bigint
}

export interface PoolTotal {
  readonly unit: string
  readonly total: bigint
}

export type PledgeState = 'open' | 'partly-fulfilled' | 'fulfilled'

export interface PledgeView {
  readonly id: EntryId
  readonly from: MemberId
  readonly to: MemberId | null
  readonly unit: string
  readonly amount: number
  /** Refs other than entries: what the pledge is for (a decision, a poll), opaque. */
  readonly refs: readonly string[]
  readonly memo: string
  readonly status: EntryStatus
  /**
   * Sum of the pledger's counting entries in its unit that name the pledge: contributions for a
   * pledge to the group, transfers to `to` for a pledge to a member.
   */
  readonly fulfilled: bigint
  readonly fulfilledBy: readonly EntryId[]
  readonly state: PledgeState
}

export interface CreditLineView {
  readonly id: EntryId
  readonly creditor: MemberId
  readonly amount: number
}

export interface CreditExposure {
  readonly unit: string
  readonly member: MemberId
  /** Sum of counting credit lines granted to the member in this unit. */
  readonly limit: bigint
  readonly balance: bigint
  /** How far the balance is below zero (0 when it is not). */
  readonly used: bigint
  /** True when the balance is below minus the limit (SPEC [G10]). */
  readonly overshoot: boolean
  readonly lines: readonly CreditLineView[]
}

export interface LedgerView {
  readonly ledger: LedgerId
  /** Every stored entry, by (createdAt, id). */
  readonly entries: readonly LedgerEntryView[]
  readonly byId: ReadonlyMap<string, LedgerEntryView>
  /** Members' balances per unit, by (unit, member); members with no counting entry are absent. */
  readonly balances: readonly MemberBalance[]
  readonly pool: readonly PoolTotal[]
  readonly pledges: readonly PledgeView[]
  readonly credit: readonly CreditExposure[]
  readonly equivocations: readonly Equivocation[]
  readonly badSignatures: readonly BadSignature[]
}

/** The raw stored state a view is derived from: the doc's maps as plain values. */
export interface LedgerContents {
  readonly entries: Iterable<readonly [string, unknown]>
  readonly sigs: Iterable<readonly [string, unknown]>
  readonly declines: Iterable<readonly [string, unknown]>
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

interface Working {
  id: EntryId
  body: EntryBody
  envelope: EntryEnvelope
  authorMember: MemberId | null
  status: EntryStatus
  reason: string | null
  parties: readonly MemberId[]
  signedBy: MemberId[]
  waitingFor: MemberId[]
  declinedBy: MemberId[]
  reversedBy: EntryId[]
  consents: LedgerSignature[]
  declines: LedgerSignature[]
  equivocation: boolean
  chain: ChainState
}

const splitKey = (key: string): readonly [string, string] | null => {
  const parts = key.split(':')
  return parts.length === 2 ? [parts[0] as string, parts[1] as string] : null
}

/** Why a reversal cannot stand against its target (SPEC [G9]), or null. */
const reversalMisfit = (target: EntryBody, reversal: EntryBody): string | null => {
  if (target.type === 'reversal') return 'a reversal cannot be reversed; post a new entry instead'
  const fits =
    target.unit === reversal.unit && target.amount === reversal.amount && target.from === reversal.from && target.to === reversal.to
  return fits ? null : 'it does not match the entry it reverses'
}

const addTo = <K>(map: Map<K, bigint>, key: K, delta: bigint): void => {
  map.set(key, (map.get(key) ?? 0n) + delta)
}

/** Derives the whole view (SPEC [G5]-[G10], [G13]). Never throws on malformed stored values. */
export const deriveLedger = (
  ledger: LedgerId,
  contents: LedgerContents,
  keyring: Keyring,
  verifier: LedgerVerifier,
): LedgerView => {
  const valid = new Map<string, Working>()
  const invalid: LedgerEntryView[] = []
  for (const [id, value] of contents.entries) {
    const verdict = verifier.checkEntry(id, value)
    if (!verdict.ok || verdict.body.ledger !== ledger) {
      invalid.push(
        invalidView(id, verdict.ok ? verdict.body : verdict.claimed, verdict.ok ? 'entry belongs to another ledger' : verdict.reason),
      )
      continue
    }
    const { body, envelope } = verdict
    const authorMember = keyring(body.author)
    valid.set(id, {
      id: verdict.id,
      body,
      envelope,
      authorMember,
      status: 'pending',
      reason: null,
      parties: requiredParties(body),
      signedBy: authorMember === null ? [] : [authorMember],
      waitingFor: [],
      declinedBy: [],
      reversedBy: [],
      consents: [],
      declines: [],
      equivocation: false,
      chain: 'ok',
    })
  }

  // Signatures: checked over the bytes of an entry this device has; others wait for their entry.
  const badSignatures: BadSignature[] = []
  const collect = (kind: 'consent' | 'decline', source: Iterable<readonly [string, unknown]>): void => {
    for (const [key, sig] of source) {
      const parts = splitKey(key)
      const entry = parts === null ? undefined : valid.get(parts[0])
      if (parts === null || entry === undefined) continue
      const [entryId, deviceKey] = parts
      if (!verifier.checkSignature(kind, entryId, entry.envelope.body, deviceKey, sig)) {
        badSignatures.push({ key, reason: `${kind} signature does not verify` })
        continue
      }
      const signature = { key: deviceKey, sig: sig as string }
      if (kind === 'consent') entry.consents.push(signature)
      else entry.declines.push(signature)
      const member = keyring(deviceKey)
      if (member === null) continue
      const list = kind === 'consent' ? entry.signedBy : entry.declinedBy
      if (!list.includes(member)) list.push(member)
    }
  }
  collect('consent', contents.sigs)
  collect('decline', contents.declines)

  // Consent (SPEC [G6], [G7]).
  for (const entry of valid.values()) {
    entry.consents.sort((a, b) => byString(a.key, b.key))
    entry.declines.sort((a, b) => byString(a.key, b.key))
    entry.signedBy.sort(byString)
    entry.declinedBy.sort(byString)
    const { body, authorMember } = entry
    if (authorMember === null) {
      entry.status = 'unknown-device'
      entry.reason = 'signed by a device that is not (yet) a verified member’s'
      continue
    }
    if (authorMember !== body.from && authorMember !== body.to) {
      entry.status = 'invalid'
      entry.reason = 'its author is not a party to it'
      continue
    }
    // A reversal that cannot stand is invalid whoever signed it, so that it never waits in
    // anyone's inbox nor stands in the way of a real reversal of its target.
    const target = body.type === 'reversal' ? valid.get(body.refs[0] as string) : undefined
    const misfit = target === undefined ? null : reversalMisfit(target.body, body)
    if (misfit !== null) {
      entry.status = 'invalid'
      entry.reason = misfit
      continue
    }
    // Only parties' declines matter, and only while some party has not signed: once every party
    // has, the entry is confirmed for good (a decline is no way to take back a payment).
    entry.declinedBy = entry.declinedBy.filter((p) => entry.parties.includes(p))
    entry.waitingFor = entry.parties.filter((p) => !entry.signedBy.includes(p))
    entry.status = entry.waitingFor.length === 0 ? 'confirmed' : entry.declinedBy.length > 0 ? 'declined' : 'pending'
  }

  // Reversals (SPEC [G9]).
  for (const entry of valid.values()) {
    if (entry.body.type !== 'reversal' || entry.status !== 'confirmed') continue
    const targetId = entry.body.refs[0] as string
    const target = valid.get(targetId)
    if (target === undefined) {
      entry.status = 'pending'
      entry.reason = 'the entry it reverses is not here (yet)'
      continue
    }
    target.reversedBy.push(entry.id)
  }
  for (const entry of valid.values()) {
    if (entry.reversedBy.length === 0) continue
    entry.reversedBy.sort(byString)
    if (entry.status !== 'invalid' && entry.status !== 'unknown-device') entry.status = 'reversed'
  }

  // Per-author chains (SPEC [G8]).
  const bySlot = new Map<string, EntryId[]>()
  for (const entry of valid.values()) {
    const slot = `${entry.body.author}#${entry.body.seq}`
    const ids = bySlot.get(slot)
    if (ids === undefined) bySlot.set(slot, [entry.id])
    else ids.push(entry.id)
    if (entry.body.prev !== null) {
      const prev = valid.get(entry.body.prev)
      if (prev === undefined) entry.chain = 'gap'
      else if (prev.body.author !== entry.body.author || prev.body.seq !== entry.body.seq - 1) entry.chain = 'broken'
    }
  }
  const equivocations: Equivocation[] = []
  for (const ids of bySlot.values()) {
    if (ids.length < 2) continue
    ids.sort(byString)
    const first = valid.get(ids[0] as string) as Working
    for (const id of ids) (valid.get(id) as Working).equivocation = true
    equivocations.push({ author: first.body.author, authorMember: first.authorMember, seq: first.body.seq, ids })
  }
  equivocations.sort((a, b) => byString(a.author, b.author) || a.seq - b.seq)

  // Balances and pool (SPEC [G5]).
  const counts = (entry: Working): boolean =>
    entry.status === 'confirmed' &&
    (entry.body.type === 'contribution' || entry.body.type === 'usage' || entry.body.type === 'transfer')
  const balances = new Map<string, Map<MemberId, bigint>>()
  const pool = new Map<string, bigint>()
  const balancesOf = (unit: string): Map<MemberId, bigint> => {
    let map = balances.get(unit)
    if (map === undefined) balances.set(unit, (map = new Map()))
    return map
  }
  for (const entry of valid.values()) {
    if (!counts(entry)) continue
    const { unit, from, to } = entry.body
    const amount = BigInt(entry.body.amount)
    const units = balancesOf(unit)
    switch (entry.body.type) {
      case 'contribution':
        addTo(units, from as MemberId, amount)
        addTo(pool, unit, amount)
        break
      case 'usage':
        addTo(units, from as MemberId, -amount)
        addTo(pool, unit, -amount)
        break
      case 'transfer':
        addTo(units, from as MemberId, -amount)
        addTo(units, to as MemberId, amount)
        break
      default:
        break
    }
  }

  // Credit lines and exposure (SPEC [G10]).
  const lines = new Map<string, Map<MemberId, CreditLineView[]>>()
  for (const entry of valid.values()) {
    if (entry.body.type !== 'creditLine' || entry.status !== 'confirmed') continue
    let units = lines.get(entry.body.unit)
    if (units === undefined) lines.set(entry.body.unit, (units = new Map()))
    const debtor = entry.body.to as MemberId
    const list = units.get(debtor) ?? []
    list.push({ id: entry.id, creditor: entry.body.from as MemberId, amount: entry.body.amount })
    units.set(debtor, list)
  }
  const credit: CreditExposure[] = []
  const exposureUnits = new Set([...lines.keys(), ...balances.keys()])
  for (const unit of exposureUnits) {
    const members = new Set<MemberId>([...(lines.get(unit)?.keys() ?? [])])
    for (const [member, balance] of balances.get(unit) ?? []) if (balance < 0n) members.add(member)
    for (const member of members) {
      const memberLines = (lines.get(unit)?.get(member) ?? []).sort((a, b) => byString(a.id, b.id))
      const limit = memberLines.reduce((sum, line) => sum + BigInt(line.amount), 0n)
      const balance = balances.get(unit)?.get(member) ?? 0n
      credit.push({
        unit,
        member,
        limit,
        balance,
        used: balance < 0n ? -balance : 0n,
        overshoot: balance < -limit,
        lines: memberLines,
      })
    }
  }
  credit.sort((a, b) => byString(a.unit, b.unit) || byString(a.member, b.member))

  // Pledges and their fulfilment (SPEC [G14]).
  const pledges: PledgeView[] = []
  const citing = new Map<string, Working[]>()
  for (const entry of valid.values()) {
    if (!counts(entry)) continue
    for (const ref of entry.body.refs) {
      const list = citing.get(ref)
      if (list === undefined) citing.set(ref, [entry])
      else list.push(entry)
    }
  }
  for (const entry of valid.values()) {
    if (entry.body.type !== 'pledge') continue
    const fulfilledBy: EntryId[] = []
    let fulfilled = 0n
    for (const other of citing.get(entry.id) ?? []) {
      const b = other.body
      if (b.from !== entry.body.from || b.unit !== entry.body.unit) continue
      // To the group: contributions fulfil it; to a member: transfers to that member.
      if (entry.body.to === null ? b.type !== 'contribution' : b.type !== 'transfer' || b.to !== entry.body.to) continue
      fulfilledBy.push(other.id)
      fulfilled += BigInt(b.amount)
    }
    fulfilledBy.sort(byString)
    pledges.push({
      id: entry.id,
      from: entry.body.from as MemberId,
      to: entry.body.to,
      unit: entry.body.unit,
      amount: entry.body.amount,
      refs: entry.body.refs,
      memo: entry.body.memo,
      status: entry.status,
      fulfilled,
      fulfilledBy,
      state: fulfilled >= BigInt(entry.body.amount) ? 'fulfilled' : fulfilled > 0n ? 'partly-fulfilled' : 'open',
    })
  }
  pledges.sort((a, b) => byString(a.id, b.id))

  const views: LedgerEntryView[] = [...valid.values()].map((w) =>
    Object.freeze({
      id: w.id,
      body: w.body,
      envelope: w.envelope,
      authorMember: w.authorMember,
      status: w.status,
      reason: w.reason,
      parties: w.parties,
      signedBy: w.signedBy,
      waitingFor: w.status === 'pending' ? w.waitingFor : [],
      declinedBy: w.declinedBy,
      reversedBy: w.reversedBy,
      counts: counts(w),
      equivocation: w.equivocation,
      chain: w.chain,
      consents: w.consents,
      declines: w.declines,
    }),
  )
  views.push(...invalid)
  views.sort((a, b) => (a.body?.createdAt ?? 0) - (b.body?.createdAt ?? 0) || byString(a.id, b.id))

  const balanceList: MemberBalance[] = []
  for (const [unit, members] of balances) for (const [member, balance] of members) balanceList.push({ unit, member, balance })
  balanceList.sort((a, b) => byString(a.unit, b.unit) || byString(a.member, b.member))
  const poolList = [...pool].map(([unit, total]) => ({ unit, total })).sort((a, b) => byString(a.unit, b.unit))
  badSignatures.sort((a, b) => byString(a.key, b.key))

  return Object.freeze({
    ledger,
    entries: Object.freeze(views),
    byId: new Map(views.map((v) => [v.id, v] as const)),
    balances: Object.freeze(balanceList),
    pool: Object.freeze(poolList),
    pledges: Object.freeze(pledges),
    credit: Object.freeze(credit),
    equivocations: Object.freeze(equivocations),
    badSignatures: Object.freeze(badSignatures),
  })
}

const invalidView = (id: string, claimed: EntryBody | null, reason: string): LedgerEntryView =>
  Object.freeze({
    id,
    body: claimed,
    envelope: null,
    authorMember: null,
    status: 'invalid',
    reason,
    parties: [],
    signedBy: [],
    waitingFor: [],
    declinedBy: [],
    reversedBy: [],
    counts: false,
    equivocation: false,
    chain: 'ok',
    consents: [],
    declines: [],
  })

/** The balance of `member` in `unit` (0 when it has none). */
export const balanceOf = (view: LedgerView, unit: string, member: MemberId): bigint =>
  view.balances.find((b) => b.unit === unit && b.member === member)?.balance ?? 0n

/** Entries waiting for `member`'s signature ("waiting for you"), oldest first. */
export const waitingFor = (view: LedgerView, member: MemberId): readonly LedgerEntryView[] =>
  view.entries.filter((e) => e.status === 'pending' && e.waitingFor.includes(member))

/** Entries naming `member` as from or to, newest first. */
export const memberHistory = (view: LedgerView, member: MemberId): readonly LedgerEntryView[] =>
  view.entries.filter((e) => e.body !== null && (e.body.from === member || e.body.to === member)).reverse()

/** A reversal that is waiting for signatures or done: one is enough per entry (SPEC [G9]). */
export const isReversalUnderWay = (entry: LedgerEntryView): boolean =>
  entry.body?.type === 'reversal' && (entry.status === 'pending' || entry.status === 'confirmed')

/** The reversal of entry `id` that is waiting for signatures or done, if any (first by view order). */
export const reversalUnderWay = (view: LedgerView, id: string): LedgerEntryView | undefined =>
  view.entries.find((e) => isReversalUnderWay(e) && e.body?.refs[0] === id)
