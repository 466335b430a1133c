import { encodeUtf8 } from 'lib0/string'
import { sha256 } from '@noble/hashes/sha2.js'
import type { BoardId, EntryId, LedgerId, MemberId } from '../model/ids'
import { isEntryId, isLedgerId, isMemberId } from '../model/ids'
import {
  isEntryType,
  isUnitCode,
  LEDGER_LIMITS,
  type EntryBody,
  type EntryEnvelope,
  type EntryType,
} from '../model/ledger'
import { fromBase64url, toBase64url } from './base64url'
import { canonicalJson } from './canonical'
import type { LedgerStoreContents } from './ledgerStore'
import type { SignatureCheck } from './signatureMemo'
import { SIGNATURE_DOMAINS, signedMessage, signFor, verifyFor, type Signer } from './signatures'

/**
 * Ledger entries as signed bytes (SPEC [G1]-[G4]). An entry's body is canonical JSON; its id is
 * the SHA-256 of those bytes; its author's device signs them under `peerboard/ledger-entry/v1`;
 * parties countersign the same bytes under `peerboard/ledger-consent/v1` (or refuse them under
 * `peerboard/ledger-decline/v1`). Stored bytes are verified as they are, never re-serialised.
 */

/** The first 128 bits of SHA-256 over a label and the board id: every device derives the same. */
export const ledgerIdForBoard = (boardId: BoardId): LedgerId =>
  toBase64url(sha256(encodeUtf8(`peerboard/board-ledger/v1\u0000${boardId}`)).slice(0, 16)) as LedgerId

/** Longest stored body, in UTF-16 code units: a body at the limits of every field is far shorter. */
export const ENTRY_BODY_MAX = 4096

const BODY_KEYS = ['amount', 'author', 'createdAt', 'from', 'ledger', 'memo', 'prev', 'refs', 'seq', 'to', 'type', 'unit', 'v']

/** The canonical text of a body (its exact fields, keys sorted). */
export const encodeEntryBody = (body: EntryBody): string =>
  canonicalJson({
    v: body.v,
    ledger: body.ledger,
    type: body.type,
    unit: body.unit,
    amount: body.amount,
    from: body.from,
    to: body.to,
    refs: [...body.refs],
    author: body.author,
    seq: body.seq,
    prev: body.prev,
    createdAt: body.createdAt,
    memo: body.memo,
  })

/** The id of stored body text: SHA-256 of its UTF-8 bytes, base64url. */
export const entryIdOf = (bodyText: string): EntryId => toBase64url(sha256(encodeUtf8(bodyText))) as EntryId

/** Signs a body with the author's device key; the caller has validated the body. */
export const signEntry = (signer: Signer, body: EntryBody): { readonly id: EntryId; readonly envelope: EntryEnvelope } => {
  const text = encodeEntryBody(body)
  const bytes = encodeUtf8(text)
  return {
    id: toBase64url(sha256(bytes)) as EntryId,
    envelope: {
      body: text,
      signer: toBase64url(signer.publicKey),
      sig: toBase64url(signFor(signer, SIGNATURE_DOMAINS.ledgerEntry, bytes)),
    },
  }
}

export type LedgerSignatureKind = 'consent' | 'decline'

const domainOf = (kind: LedgerSignatureKind) =>
  kind === 'consent' ? SIGNATURE_DOMAINS.ledgerConsent : SIGNATURE_DOMAINS.ledgerDecline

/** A party's consent (or decline) over an entry's stored bytes, base64url. */
export const signLedgerSignature = (signer: Signer, kind: LedgerSignatureKind, bodyText: string): string =>
  toBase64url(signFor(signer, domainOf(kind), encodeUtf8(bodyText)))

/** True only for a valid consent (or decline) by `deviceKey` over exactly `bodyText`. */
export const verifyLedgerSignature = (
  kind: LedgerSignatureKind,
  bodyText: string,
  deviceKey: string,
  sig: unknown,
): boolean => {
  if (typeof sig !== 'string') return false
  const key = fromBase64url(deviceKey)
  const signature = fromBase64url(sig)
  if (key === null || key.length !== 32 || signature === null || signature.length !== 64) return false
  return verifyFor(key, domainOf(kind), encodeUtf8(bodyText), signature)
}

/**
 * The signature check a stored entry's author signature needs, or null when the value is not an
 * envelope with a readable key and signature (the rules then refuse it without verifying).
 */
export const entrySignatureCheck = (value: unknown): SignatureCheck | null => {
  if (!isEnvelope(value) || value.body.length > ENTRY_BODY_MAX) return null
  const publicKey = fromBase64url(value.signer)
  const signature = fromBase64url(value.sig)
  if (publicKey === null || publicKey.length !== 32 || signature === null || signature.length !== 64) return null
  return { publicKey, signature, message: signedMessage(SIGNATURE_DOMAINS.ledgerEntry, encodeUtf8(value.body)) }
}

/** The check a consent or decline by `deviceKey` over `bodyText` needs, or null when unreadable. */
export const ledgerSignatureCheck = (
  kind: LedgerSignatureKind,
  bodyText: string,
  deviceKey: string,
  sig: unknown,
): SignatureCheck | null => {
  if (typeof sig !== 'string') return null
  const publicKey = fromBase64url(deviceKey)
  const signature = fromBase64url(sig)
  if (publicKey === null || publicKey.length !== 32 || signature === null || signature.length !== 64) return null
  return { publicKey, signature, message: signedMessage(domainOf(kind), encodeUtf8(bodyText)) }
}

export const isEnvelope = (value: unknown): value is EntryEnvelope =>
  value !== null &&
  typeof value === 'object' &&
  typeof (value as EntryEnvelope).body === 'string' &&
  typeof (value as EntryEnvelope).signer === 'string' &&
  typeof (value as EntryEnvelope).sig === 'string'

/** A device public key: 32 bytes, base64url. */
export const isDeviceKey = (value: unknown): value is string => {
  if (typeof value !== 'string' || value.length !== 43) return false
  const bytes = fromBase64url(value)
  return bytes !== null && bytes.length === 32
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what we refuse
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

/** Why a ref list is not acceptable for an entry of `type`, or null. */
export const refsProblem = (type: EntryType, refs: unknown): string | null => {
  if (!Array.isArray(refs)) return 'refs must be a list'
  if (refs.length > LEDGER_LIMITS.refsMax) return `at most ${LEDGER_LIMITS.refsMax} refs`
  const seen = new Set<string>()
  for (const ref of refs as unknown[]) {
    if (typeof ref !== 'string' || ref.length === 0 || ref.length > LEDGER_LIMITS.refMax || CONTROL.test(ref)) {
      return 'a ref is not a short line of text'
    }
    if (seen.has(ref)) return 'a ref is listed twice'
    seen.add(ref)
  }
  if (type === 'reversal' && (refs.length !== 1 || !isEntryId(refs[0]))) return 'a reversal names exactly one entry'
  return null
}

/** Why `from`/`to` do not fit an entry of `type` (SPEC [G2]), or null. */
export const partiesProblem = (type: EntryType, from: unknown, to: unknown): string | null => {
  const member = (v: unknown) => isMemberId(v)
  switch (type) {
    case 'contribution':
    case 'usage':
      return member(from) && to === null ? null : `a ${type} names one member (from) and no counterparty`
    case 'transfer':
    case 'creditLine':
      return member(from) && member(to) && from !== to ? null : `a ${type} names two different members`
    case 'pledge':
    case 'reversal':
      return member(from) && (to === null || (member(to) && to !== from))
        ? null
        : `a ${type} names a member (from) and at most one other`
  }
}

/** Why a memo is not acceptable, or null. */
export const memoProblem = (memo: unknown): string | null => {
  if (typeof memo !== 'string') return 'memo must be text'
  if ([...memo].length > LEDGER_LIMITS.memoMax) return `memo is longer than ${LEDGER_LIMITS.memoMax} characters`
  if (CONTROL.test(memo)) return 'memo must be one line without control characters'
  return null
}

/** The largest time a Date holds (ms since 1970), so that a claimed `createdAt` always formats. */
const DATE_MAX = 8.64e15

type BodyVerdict = { readonly body: EntryBody } | { readonly reason: string; readonly claimed: EntryBody | null }

/**
 * A parsed body, checked field by field; the reason names the first field at fault. `knownCanonical`:
 * these exact bytes were found canonical before (on this device), so they are not encoded again.
 */
export const parseEntryBody = (text: string, knownCanonical = false): BodyVerdict => {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return { reason: 'entry is not readable', claimed: null }
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { reason: 'entry is not readable', claimed: null }
  const b = raw as Record<string, unknown>
  // What an invalid entry claims is shown to people, so it keeps the invariants of a body: an
  // amount that is a positive safe integer, and whole numbers a Date can hold, or nothing.
  const whole = (v: unknown, min: number, max: number = Number.MAX_SAFE_INTEGER): number =>
    typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max ? v : 0
  const claimed =
    isEntryType(b.type) && typeof b.unit === 'string' && whole(b.amount, 1) > 0
      ? ({
          v: 1,
          ledger: (typeof b.ledger === 'string' ? b.ledger : '') as LedgerId,
          type: b.type,
          unit: b.unit,
          amount: whole(b.amount, 1),
          from: isMemberId(b.from) ? b.from : null,
          to: isMemberId(b.to) ? b.to : null,
          refs: Array.isArray(b.refs) ? (b.refs as unknown[]).filter((r): r is string => typeof r === 'string') : [],
          author: typeof b.author === 'string' ? b.author : '',
          seq: whole(b.seq, 0),
          prev: isEntryId(b.prev) ? b.prev : null,
          createdAt: whole(b.createdAt, 0, DATE_MAX),
          memo: typeof b.memo === 'string' ? b.memo : '',
        } satisfies EntryBody)
      : null
  const fail = (reason: string): BodyVerdict => ({ reason, claimed })
  if (typeof b.v === 'number' && b.v > 1) return fail(`entry is from a newer version of Peerboard (entry version ${b.v})`)
  const keys = Object.keys(b).sort()
  if (keys.length !== BODY_KEYS.length || keys.some((k, i) => k !== BODY_KEYS[i])) return fail('entry has missing or unknown fields')
  if (b.v !== 1) return fail('entry version is not 1')
  if (!isLedgerId(b.ledger)) return fail('ledger id is malformed')
  if (!isEntryType(b.type)) return fail('type is not one of the entry types')
  if (!isUnitCode(b.unit)) return fail('unit code is malformed')
  if (typeof b.amount !== 'number' || !Number.isSafeInteger(b.amount) || b.amount < 1) {
    return fail('amount is not a positive whole number of minor units')
  }
  const parties = partiesProblem(b.type, b.from, b.to)
  if (parties !== null) return fail(parties)
  const refs = refsProblem(b.type, b.refs)
  if (refs !== null) return fail(refs)
  if (!isDeviceKey(b.author)) return fail('author is not a device key')
  if (typeof b.seq !== 'number' || !Number.isSafeInteger(b.seq) || b.seq < 1) return fail('seq is not a positive whole number')
  if (b.seq === 1 ? b.prev !== null : !isEntryId(b.prev)) return fail('prev does not fit seq')
  if (typeof b.createdAt !== 'number' || !Number.isSafeInteger(b.createdAt) || b.createdAt < 0) return fail('createdAt is malformed')
  const memo = memoProblem(b.memo)
  if (memo !== null) return fail(memo)
  const body: EntryBody = {
    v: 1,
    ledger: b.ledger,
    type: b.type,
    unit: b.unit,
    amount: b.amount,
    from: b.from as MemberId | null,
    to: b.to as MemberId | null,
    refs: b.refs as string[],
    author: b.author,
    seq: b.seq,
    prev: b.prev as EntryId | null,
    createdAt: b.createdAt,
    memo: b.memo as string,
  }
  if (!knownCanonical && encodeEntryBody(body) !== text) return fail('entry is not in canonical form')
  return { body }
}

/** What checking one stored entry on its own gives (SPEC [G4]). */
export type EntryVerdict =
  | { readonly ok: true; readonly id: EntryId; readonly body: EntryBody; readonly envelope: EntryEnvelope }
  | { readonly ok: false; readonly reason: string; readonly claimed: EntryBody | null }

/**
 * Checks one stored entry on its own, without the ledger id (SPEC [G4]): the value is an envelope,
 * its id is the SHA-256 of its bytes, the body is a well-formed canonical entry, the signer is its
 * author, and the author's signature is over exactly these bytes. `verifiedBefore`: this device
 * checked exactly these strings under this id before (its local verified store, [G17]), so the
 * hash, the canonical form and the signature, which depend on nothing else, are not computed
 * again; the fields are still checked, as the rules for them are this code's.
 */
export const verifyEntryEnvelope = (id: string, value: unknown, verifiedBefore = false): EntryVerdict => {
  if (!isEnvelope(value)) return { ok: false, reason: 'not a ledger entry', claimed: null }
  if (value.body.length > ENTRY_BODY_MAX) return { ok: false, reason: 'entry is too large', claimed: null }
  const bytes = encodeUtf8(value.body)
  const parsed = parseEntryBody(value.body, verifiedBefore)
  const claimed = 'body' in parsed ? parsed.body : parsed.claimed
  if (!verifiedBefore && toBase64url(sha256(bytes)) !== id) return { ok: false, reason: 'id does not match the entry’s bytes', claimed }
  if (!('body' in parsed)) return { ok: false, reason: parsed.reason, claimed }
  if (parsed.body.author !== value.signer) return { ok: false, reason: 'signed by a key other than its author', claimed }
  if (verifiedBefore) return { ok: true, id: id as EntryId, body: parsed.body, envelope: { body: value.body, signer: value.signer, sig: value.sig } }
  const key = fromBase64url(value.signer)
  const sig = fromBase64url(value.sig)
  if (key === null || sig === null || sig.length !== 64 || !verifyFor(key, SIGNATURE_DOMAINS.ledgerEntry, bytes, sig)) {
    return { ok: false, reason: 'signature does not verify', claimed }
  }
  return { ok: true, id: id as EntryId, body: parsed.body, envelope: { body: value.body, signer: value.signer, sig: value.sig } }
}

/**
 * Incremental verification (SPEC [G12]): remembers each checked entry and signature with the exact
 * stored strings it checked, so that only new (or changed) ones are verified again. The verdicts are
 * functions of the stored values only, so one verifier serves any number of docs.
 */
export interface LedgerVerifier {
  checkEntry(id: string, value: unknown): EntryVerdict
  /** Checks a consent or decline by `deviceKey` over the entry `bodyText` (entry `entryId`). */
  checkSignature(kind: LedgerSignatureKind, entryId: string, bodyText: string, deviceKey: string, sig: unknown): boolean
  /**
   * Remembers what this device verified in earlier sessions (its local verified store, [G17]):
   * an entry or signature whose exact strings are there is not checked again. The maps are read
   * as they are when a check runs, so additions to them count.
   */
  trust(stored: LedgerStoreContents): void
  /** True when `checkEntry(id, value)` would answer from what this verifier remembers. */
  hasChecked(id: string, value: unknown): boolean
  /** True when `checkSignature` with these arguments would answer from what it remembers. */
  hasCheckedSignature(kind: LedgerSignatureKind, entryId: string, bodyText: string, deviceKey: string, sig: unknown): boolean
  /** How many signature checks were actually run (cache misses), for benchmarks and tests. */
  readonly verified: { entries: number; signatures: number }
}

const CACHE_MAX = 1_000_000

export const createLedgerVerifier = (): LedgerVerifier => {
  const entries = new Map<string, { value: EntryEnvelope | unknown; verdict: EntryVerdict }>()
  const signatures = new Map<string, { body: string; sig: unknown; ok: boolean }>()
  const verified = { entries: 0, signatures: 0 }
  const sameEnvelope = (a: unknown, b: unknown): boolean =>
    a === b ||
    (isEnvelope(a) && isEnvelope(b) && a.body === b.body && a.signer === b.signer && a.sig === b.sig)
  const trusted: LedgerStoreContents[] = []
  const trustedEntry = (id: string, value: unknown): boolean => trusted.some((t) => sameEnvelope(t.entries.get(id), value))
  const trustedSignature = (kind: LedgerSignatureKind, entryId: string, bodyText: string, deviceKey: string, sig: unknown): boolean =>
    typeof sig === 'string' &&
    trusted.some(
      (t) => (kind === 'consent' ? t.sigs : t.declines).get(`${entryId}:${deviceKey}`) === sig && t.entries.get(entryId)?.body === bodyText,
    )
  const cachedEntry = (id: string, value: unknown) => {
    const cached = entries.get(id)
    return cached !== undefined && sameEnvelope(cached.value, value) ? cached : undefined
  }
  const cachedSignature = (kind: LedgerSignatureKind, entryId: string, bodyText: string, deviceKey: string, sig: unknown) => {
    const cached = signatures.get(`${kind}:${entryId}:${deviceKey}`)
    return cached !== undefined && cached.body === bodyText && cached.sig === sig ? cached : undefined
  }
  return {
    verified,
    trust(stored) {
      if (!trusted.includes(stored)) trusted.push(stored)
    },
    hasChecked: (id, value) => cachedEntry(id, value) !== undefined || trustedEntry(id, value),
    hasCheckedSignature: (kind, entryId, bodyText, deviceKey, sig) =>
      cachedSignature(kind, entryId, bodyText, deviceKey, sig) !== undefined ||
      trustedSignature(kind, entryId, bodyText, deviceKey, sig),
    checkEntry(id, value) {
      const cached = cachedEntry(id, value)
      if (cached !== undefined) return cached.verdict
      const before = trustedEntry(id, value)
      const verdict = verifyEntryEnvelope(id, value, before)
      if (!before) verified.entries++
      if (entries.size >= CACHE_MAX) entries.clear()
      entries.set(id, { value, verdict })
      return verdict
    },
    checkSignature(kind, entryId, bodyText, deviceKey, sig) {
      const key = `${kind}:${entryId}:${deviceKey}`
      const cached = cachedSignature(kind, entryId, bodyText, deviceKey, sig)
      if (cached !== undefined) return cached.ok
      const before = trustedSignature(kind, entryId, bodyText, deviceKey, sig)
      const ok = before || verifyLedgerSignature(kind, bodyText, deviceKey, sig)
      if (!before) verified.signatures++
      if (signatures.size >= CACHE_MAX) signatures.clear()
      signatures.set(key, { body: bodyText, sig, ok })
      return ok
    },
  }
}
