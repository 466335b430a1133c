import type * as Y from 'yjs'
import { invalidInput, PeerboardError } from '../model/errors'
import { isEntryId, isMemberId, type EntryId, type LedgerId, type MemberId } from '../model/ids'
import { formatAmount, isEntryType, isUnitCode, LEDGER_LIMITS, type EntryBody, type EntryType } from '../model/ledger'
import { requireLine, requireTimestamp } from '../model/text'
import { defaultLedgerVerifier, readLedger, readLedgerUnits } from '../read/ledger'
import { toBase64url } from '../rules/base64url'
import {
  memoProblem,
  partiesProblem,
  refsProblem,
  signEntry,
  signLedgerSignature,
  type LedgerVerifier,
} from '../rules/ledgerEntries'
import { unitDeclarationKey } from '../rules/ledgerUnits'
import { balanceOf, reversalUnderWay, type LedgerEntryView, type LedgerView } from '../rules/ledgerView'
import type { Keyring } from '../rules/memberRecords'
import type { Signer } from '../rules/signatures'
import { LOCAL_ORIGIN } from '../schema/origins'
import {
  LEDGER_SCHEMA_VERSION,
  ledgerSigKey,
  yLedgerDeclinesOf,
  yLedgerEntriesOf,
  yLedgerSigsOf,
  yLedgerUnitsOf,
  yLedgerVersionsOf,
} from '../schema/ledger'

/**
 * Ledger writes (SPEC [G1]-[G11]). Every op validates first and refuses with a PeerboardError,
 * writing nothing; otherwise it makes one transaction that only adds keys. There is deliberately
 * no undo over ledger data: an entry is corrected by a reversal, never by taking it back.
 */

/** Who writes: the ledger, this device's signer, and the board's keyring (device key -> member). */
export interface LedgerWriter {
  readonly ledger: LedgerId
  readonly signer: Signer
  readonly keyring: Keyring
  /** Defaults to the shared default verifier. */
  readonly verifier?: LedgerVerifier
}

export interface NewEntryInput {
  readonly type: Exclude<EntryType, 'reversal'>
  readonly unit: string
  /** Minor units (see parseAmount for text typed by people). */
  readonly amount: number
  readonly from: MemberId | null
  readonly to: MemberId | null
  readonly refs?: readonly string[]
  readonly memo?: string
  readonly createdAt: number
}


const viewOf = (doc: Y.Doc, writer: LedgerWriter): LedgerView =>
  readLedger(doc, writer.ledger, writer.keyring, writer.verifier ?? defaultLedgerVerifier)

/** This device's member, or a refusal: only certified devices of verified members write entries. */
const memberOf = (writer: LedgerWriter): MemberId => {
  const member = writer.keyring(toBase64url(writer.signer.publicKey))
  if (member === null) {
    throw new PeerboardError(
      'forbidden',
      'This device is not a verified member of this board yet: wait for your member record to sync, then try again.',
    )
  }
  return member
}

/** The next (seq, prev) of this device's chain (SPEC [G8]): one after its highest entry here. */
const nextLink = (view: LedgerView, author: string): { readonly seq: number; readonly prev: EntryId | null } => {
  let head: { seq: number; id: EntryId } | null = null
  for (const entry of view.entries) {
    if (entry.envelope === null || entry.body === null || entry.body.author !== author) continue
    if (head === null || entry.body.seq > head.seq || (entry.body.seq === head.seq && entry.id < head.id)) {
      head = { seq: entry.body.seq, id: entry.id as EntryId }
    }
  }
  return head === null ? { seq: 1, prev: null } : { seq: head.seq + 1, prev: head.id }
}

const markVersion = (doc: Y.Doc): void => {
  const yVersions = yLedgerVersionsOf(doc)
  const key = String(LEDGER_SCHEMA_VERSION)
  if (!yVersions.has(key)) yVersions.set(key, true)
}

const unitOf = (doc: Y.Doc, code: unknown) => {
  if (!isUnitCode(code)) throw invalidInput('unit', 'Choose a unit.')
  const unit = readLedgerUnits(doc).find((u) => u.code === code)
  if (unit === undefined) throw invalidInput('unit', `The unit ${code} is not declared in this ledger.`)
  return unit
}

/**
 * Outgoing entries `member` has signed that still wait for another party: they count once signed.
 * Requests the member has not signed are left out: they count only if the member countersigns,
 * and that is checked then (so nobody can block a member's payments by sending it requests).
 */
const pendingOutgoing = (view: LedgerView, member: MemberId, unit: string, except: string | null): bigint => {
  let sum = 0n
  for (const e of view.entries) {
    if (e.id === except || e.status !== 'pending' || e.body === null || e.body.unit !== unit || e.body.from !== member) continue
    if (!e.signedBy.includes(member)) continue
    if (e.body.type === 'transfer' || e.body.type === 'usage') sum += BigInt(e.body.amount)
  }
  return sum
}

/**
 * The payer's own check (SPEC [G10]): refuses an outgoing amount that would take `member` below
 * minus its credit limit, counting what it already has pending. Only this device's view: peers
 * writing offline at the same time can still overshoot together, and the merged view flags it.
 */
const assertWithinCredit = (
  doc: Y.Doc,
  view: LedgerView,
  member: MemberId,
  unit: string,
  amount: number,
  except: string | null,
): void => {
  const limit = view.credit.find((c) => c.unit === unit && c.member === member)?.limit ?? 0n
  const after = balanceOf(view, unit, member) - pendingOutgoing(view, member, unit, except) - BigInt(amount)
  if (after < -limit) {
    const decimals = readLedgerUnits(doc).find((u) => u.code === unit)?.decimals ?? 0
    throw invalidInput(
      'amount',
      `This would take your balance to ${formatAmount(after, decimals)} ${unit}, beyond your credit limit of ${formatAmount(limit, decimals)} ${unit}.`,
    )
  }
}

const writeEntry = (doc: Y.Doc, writer: LedgerWriter, view: LedgerView, fields: Omit<EntryBody, 'v' | 'ledger' | 'author' | 'seq' | 'prev'>): EntryId => {
  const author = toBase64url(writer.signer.publicKey)
  const { seq, prev } = nextLink(view, author)
  const { id, envelope } = signEntry(writer.signer, { v: 1, ledger: writer.ledger, author, seq, prev, ...fields })
  doc.transact(() => {
    markVersion(doc)
    yLedgerEntriesOf(doc).set(id, envelope)
  }, LOCAL_ORIGIN)
  return id
}

const requireMemo = (memo: unknown): string => {
  if (memo === undefined || memo === '') return ''
  if (typeof memo !== 'string') throw invalidInput('memo', 'Memo must be text.')
  const trimmed = memo.trim()
  const problem = memoProblem(trimmed)
  if (problem !== null) throw invalidInput('memo', `Memo: ${problem}.`)
  return trimmed
}

/**
 * Records a signed entry by this device (SPEC [G1]-[G8]): a contribution, usage, transfer, pledge
 * or credit line. This device's member must be `from` or `to`; the entry then waits for the
 * other parties' signatures. A payer's device refuses what would exceed its own credit ([G10]).
 */
export const recordEntry = (doc: Y.Doc, writer: LedgerWriter, input: NewEntryInput): EntryId => {
  if (!isEntryType(input.type) || (input.type as EntryType) === 'reversal') {
    throw invalidInput('type', 'Type must be contribution, usage, transfer, pledge or creditLine.')
  }
  const unit = unitOf(doc, input.unit)
  if (typeof input.amount !== 'number' || !Number.isSafeInteger(input.amount) || input.amount < 1) {
    throw invalidInput('amount', 'Amount must be more than zero, in whole minor units.')
  }
  const partyProblem = partiesProblem(input.type, input.from, input.to)
  if (partyProblem !== null) throw invalidInput(input.to === null || isMemberId(input.to) ? 'from' : 'to', `This ${partyProblem}.`)
  const refs = [...(input.refs ?? [])].map((r) => (typeof r === 'string' ? r.trim() : r))
  const refProblem = refsProblem(input.type, refs)
  if (refProblem !== null) throw invalidInput('refs', `Refs: ${refProblem}.`)
  const memo = requireMemo(input.memo)
  const createdAt = requireTimestamp('createdAt', input.createdAt)
  const me = memberOf(writer)
  if (me !== input.from && me !== input.to) throw new PeerboardError('forbidden', 'You can only record entries you are a party to.', 'from')
  const view = viewOf(doc, writer)
  if ((input.type === 'transfer' || input.type === 'usage') && input.from === me) {
    assertWithinCredit(doc, view, me, unit.code, input.amount, null)
  }
  return writeEntry(doc, writer, view, {
    type: input.type,
    unit: unit.code,
    amount: input.amount,
    from: input.from,
    to: input.to,
    refs,
    createdAt,
    memo,
  })
}

export interface AmountInput {
  readonly unit: string
  readonly amount: number
  readonly refs?: readonly string[]
  readonly memo?: string
  readonly createdAt: number
}

/** This member gives `amount` to the pool: their balance and the pool both rise. */
export const recordContribution = (doc: Y.Doc, writer: LedgerWriter, input: AmountInput): EntryId =>
  recordEntry(doc, writer, { ...input, type: 'contribution', from: memberOf(writer), to: null })

/** This member draws `amount` from the pool: their balance and the pool both fall. */
export const recordUsage = (doc: Y.Doc, writer: LedgerWriter, input: AmountInput): EntryId =>
  recordEntry(doc, writer, { ...input, type: 'usage', from: memberOf(writer), to: null })

/** This member pays `to`; pending until `to` countersigns. */
export const recordTransfer = (doc: Y.Doc, writer: LedgerWriter, input: AmountInput & { readonly to: MemberId }): EntryId =>
  recordEntry(doc, writer, { ...input, type: 'transfer', from: memberOf(writer), to: input.to })

/** This member asks `from` to pay them; pending until `from` countersigns. */
export const requestTransfer = (doc: Y.Doc, writer: LedgerWriter, input: AmountInput & { readonly from: MemberId }): EntryId =>
  recordEntry(doc, writer, { ...input, type: 'transfer', from: input.from, to: memberOf(writer) })

/** This member commits to give `amount` (to `to`, or to the pool); refs may name a decision. */
export const recordPledge = (
  doc: Y.Doc,
  writer: LedgerWriter,
  input: AmountInput & { readonly to?: MemberId | null },
): EntryId => recordEntry(doc, writer, { ...input, type: 'pledge', from: memberOf(writer), to: input.to ?? null })

/** This member (the creditor) lets `to` go below zero by up to `amount`. */
export const grantCreditLine = (doc: Y.Doc, writer: LedgerWriter, input: AmountInput & { readonly to: MemberId }): EntryId =>
  recordEntry(doc, writer, { ...input, type: 'creditLine', from: memberOf(writer), to: input.to })

const entryOf = (view: LedgerView, id: unknown): LedgerEntryView & { body: EntryBody } => {
  if (!isEntryId(id)) throw invalidInput('entry', 'That is not an entry id.')
  const entry = view.byId.get(id)
  if (entry === undefined || entry.body === null) throw new PeerboardError('not-found', 'That entry is not on this device.', 'entry')
  if (entry.status === 'invalid' || entry.envelope === null) {
    throw invalidInput('entry', `That entry is invalid (${entry.reason ?? 'does not verify'}).`)
  }
  return entry as LedgerEntryView & { body: EntryBody }
}

/**
 * Reverses an entry (SPEC [G9]): a new entry naming it, with its unit, amount and parties, that
 * counts once every party of the target has signed; the target then counts 0. A reversal cannot
 * be reversed, and an entry already reversed is not reversed again.
 */
export const reverseEntry = (
  doc: Y.Doc,
  writer: LedgerWriter,
  input: { readonly target: EntryId; readonly memo?: string; readonly createdAt: number },
): EntryId => {
  const memo = requireMemo(input.memo)
  const createdAt = requireTimestamp('createdAt', input.createdAt)
  const me = memberOf(writer)
  const view = viewOf(doc, writer)
  const target = entryOf(view, input.target)
  if (target.body.type === 'reversal') throw invalidInput('entry', 'A reversal cannot be reversed; record a new entry instead.')
  if (target.body.from !== me && target.body.to !== me) throw new PeerboardError('forbidden', 'Only a party to an entry can reverse it.', 'entry')
  if (target.status === 'reversed') throw invalidInput('entry', 'That entry is already reversed.')
  if (target.status !== 'confirmed') {
    throw invalidInput('entry', `That entry is ${target.status}: only a verified entry is reversed (decline a pending one instead).`)
  }
  const open = reversalUnderWay(view, target.id)
  if (open !== undefined) {
    throw invalidInput('entry', open.waitingFor.includes(me) ? 'A reversal of that entry waits for your signature: countersign it.' : 'A reversal of that entry is already waiting for signatures.')
  }
  return writeEntry(doc, writer, view, {
    type: 'reversal',
    unit: target.body.unit,
    amount: target.body.amount,
    from: target.body.from,
    to: target.body.to,
    refs: [target.id],
    createdAt,
    memo,
  })
}

/**
 * Countersigns a pending entry this member is a party to (SPEC [G6]): a consent signature over its
 * exact bytes under `${id}:${deviceKey}`. A payer's device refuses what would exceed its own
 * credit ([G10]).
 */
export const countersignEntry = (doc: Y.Doc, writer: LedgerWriter, id: EntryId): void => {
  const me = memberOf(writer)
  const view = viewOf(doc, writer)
  const entry = entryOf(view, id)
  if (!entry.parties.includes(me)) throw new PeerboardError('forbidden', 'You are not a party to that entry.', 'entry')
  if (entry.status !== 'pending' || !entry.waitingFor.includes(me)) {
    throw invalidInput('entry', entry.status === 'pending' || entry.status === 'confirmed' ? 'You have already signed that entry.' : `That entry is ${entry.status}.`)
  }
  if ((entry.body.type === 'transfer' || entry.body.type === 'usage') && entry.body.from === me) {
    assertWithinCredit(doc, view, me, entry.body.unit, entry.body.amount, entry.id)
  }
  const key = toBase64url(writer.signer.publicKey)
  const sig = signLedgerSignature(writer.signer, 'consent', (entry.envelope as { body: string }).body)
  doc.transact(() => {
    markVersion(doc)
    yLedgerSigsOf(doc).set(ledgerSigKey(entry.id, key), sig)
  }, LOCAL_ORIGIN)
}

/**
 * Declines a pending entry this member is a party to (SPEC [G7]): a signed refusal; the entry then
 * shows as declined and never counts. Its author declining it withdraws it.
 */
export const declineEntry = (doc: Y.Doc, writer: LedgerWriter, id: EntryId): void => {
  const me = memberOf(writer)
  const view = viewOf(doc, writer)
  const entry = entryOf(view, id)
  if (!entry.parties.includes(me)) throw new PeerboardError('forbidden', 'You are not a party to that entry.', 'entry')
  if (entry.status !== 'pending') throw invalidInput('entry', `That entry is ${entry.status}; only a pending entry can be declined.`)
  const key = toBase64url(writer.signer.publicKey)
  if (entry.consents.some((s) => s.key === key)) throw invalidInput('entry', 'This device has already signed that entry.')
  const sig = signLedgerSignature(writer.signer, 'decline', (entry.envelope as { body: string }).body)
  doc.transact(() => {
    markVersion(doc)
    yLedgerDeclinesOf(doc).set(ledgerSigKey(entry.id, key), sig)
  }, LOCAL_ORIGIN)
}

export interface DeclareUnitInput {
  readonly code: string
  readonly label: string
  readonly decimals: number
  readonly declaredAt: number
}

/**
 * Declares a unit (SPEC [G11]). A code already declared here is refused; two devices declaring
 * one code at once both keep their declaration, and reads choose one by a fixed rule.
 */
export const declareUnit = (doc: Y.Doc, input: DeclareUnitInput): void => {
  const code = typeof input.code === 'string' ? input.code.trim() : input.code
  if (!isUnitCode(code)) throw invalidInput('code', 'A unit code is a letter, then letters, digits or hyphens (at most 24).')
  const label = requireLine('label', 'Unit name', input.label, LEDGER_LIMITS.unitLabelMax)
  if (!Number.isInteger(input.decimals) || input.decimals < 0 || input.decimals > LEDGER_LIMITS.decimalsMax) {
    throw invalidInput('decimals', `Decimals must be a whole number from 0 to ${LEDGER_LIMITS.decimalsMax}.`)
  }
  const declaredAt = requireTimestamp('declaredAt', input.declaredAt)
  if (readLedgerUnits(doc).some((u) => u.code === code)) throw invalidInput('code', `The unit ${code} is already declared.`)
  const unit = { code, label, decimals: input.decimals, declaredAt }
  doc.transact(() => {
    markVersion(doc)
    yLedgerUnitsOf(doc).set(unitDeclarationKey(unit), unit)
  }, LOCAL_ORIGIN)
}
