import { encodeUtf8 } from 'lib0/string'
import { sha256 } from '@noble/hashes/sha2.js'
import type { BoardId } from '../model/ids'
import { toBase64url } from '../rules/base64url'
import { canonicalJson, type CanonicalValue } from '../rules/canonical'
import { isDeviceKey } from '../rules/ledgerEntries'
import { signedMessage, type EntryDomain } from '../rules/signatures'

/**
 * Signed entries (SPEC [E1]-[E4]): the one format in which every authored fact of a board is
 * written. An entry is canonical JSON,
 *
 *   {v: 1, board, kind, device, seq, prev, deps, at, data}
 *
 * signed by `device` (an Ed25519 public key, base64url) under the domain `peerboard/entry/<kind>/v1`.
 * `seq` and `prev` put it on its device's chain (seq 1 has prev null; then seq n names the hash of
 * the device's entry n − 1); `deps` names the latest entries of other chains the device had seen:
 * together they are the entry's causal past, and every rule asks its questions of that past only.
 * `at` is the device's clock, advisory. `data` is the kind's own payload (entryData.ts).
 *
 * An entry's hash is the SHA-256 of its domain-separated bytes; entries are stored add-only under
 * it. Every entry names its board, the genesis too. Anyone can sign a genesis naming a board, so a
 * device trusts one genesis per board: the one it founded, or the one the link that brought it
 * names, or (with neither) the only one it holds (SPEC [E3], [J1]).
 */

export const ENTRY_VERSION = 1 as const

/** Every kind of entry this code understands. The list only grows (a kind is never reused). */
export const ENTRY_KINDS = ['genesis', 'invite', 'join', 'revoke', 'profile'] as const
export type EntryKind = (typeof ENTRY_KINDS)[number]
export const isEntryKind = (value: unknown): value is EntryKind =>
  typeof value === 'string' && (ENTRY_KINDS as readonly string[]).includes(value)

declare const hashBrand: unique symbol
/** An entry's hash: SHA-256 of its domain-separated bytes, base64url (43 characters). */
export type EntryHash = string & { readonly [hashBrand]: 'EntryHash' }

const HASH_PATTERN = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/
export const isEntryHash = (value: unknown): value is EntryHash => typeof value === 'string' && HASH_PATTERN.test(value)

/** At most this many `deps`: a device names the heads it saw, not its whole past. */
export const MAX_DEPS = 64
/** Longest entry text, in UTF-16 code units. */
export const ENTRY_TEXT_MAX = 16_384

export interface EntryHeader {
  readonly v: typeof ENTRY_VERSION
  /** The board the entry belongs to. */
  readonly board: BoardId
  readonly kind: EntryKind
  readonly device: string
  readonly seq: number
  readonly prev: EntryHash | null
  /** Sorted, without duplicates, never containing `prev`. */
  readonly deps: readonly EntryHash[]
  readonly at: number
}

export interface Entry<D = unknown> extends EntryHeader {
  readonly data: D
}

/** What is stored in the shared doc under the entry's hash: the exact signed text and signature. */
export interface ChainEnvelope {
  /** The canonical JSON text that was signed. */
  readonly e: string
  /** The device's signature, base64url. */
  readonly s: string
}

export const entryDomain = (kind: EntryKind): EntryDomain => `peerboard/entry/${kind}/v1`

/** The exact bytes a device signs for an entry text. */
export const entrySigningBytes = (kind: EntryKind, text: string): Uint8Array =>
  signedMessage(entryDomain(kind), encodeUtf8(text))

export const entryHashOf = (kind: EntryKind, text: string): EntryHash =>
  toBase64url(sha256(entrySigningBytes(kind, text))) as EntryHash

/** The canonical text of an entry. */
export const encodeEntry = (entry: Entry<CanonicalValue>): string =>
  canonicalJson({
    v: entry.v,
    board: entry.board,
    kind: entry.kind,
    device: entry.device,
    seq: entry.seq,
    prev: entry.prev,
    deps: [...entry.deps],
    at: entry.at,
    data: entry.data,
  })

const HEADER_KEYS = ['at', 'board', 'data', 'deps', 'device', 'kind', 'prev', 'seq', 'v']

/**
 * Parses an entry text's header. Returns the entry (its `data` still unchecked) or why it is not
 * one. The text must be exactly the canonical form of what it parses to.
 */
export const parseEntryText = (text: string): Entry | string => {
  if (text.length > ENTRY_TEXT_MAX) return 'entry is too long'
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return 'entry is not JSON'
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return 'entry is not an object'
  const keys = Object.keys(raw).sort()
  if (keys.length !== HEADER_KEYS.length || keys.some((k, i) => k !== HEADER_KEYS[i])) return 'entry has the wrong fields'
  const r = raw as Record<string, unknown>
  if (r.v !== ENTRY_VERSION) return 'entry has an unknown version'
  if (!isEntryKind(r.kind)) return 'entry has an unknown kind'
  if (!isDeviceKey(r.device)) return 'entry names a malformed device key'
  if (typeof r.seq !== 'number' || !Number.isSafeInteger(r.seq) || r.seq < 1) return 'entry has a bad sequence number'
  if (r.seq === 1 ? r.prev !== null : !isEntryHash(r.prev)) return 'entry has a bad previous-entry hash'
  if (typeof r.at !== 'number' || !Number.isSafeInteger(r.at) || r.at < 0) return 'entry has a bad time'
  if (typeof r.board !== 'string' || !/^[A-Za-z0-9_-]{22}$/.test(r.board)) {
    return 'entry names a bad board'
  }
  if (!Array.isArray(r.deps) || r.deps.length > MAX_DEPS || !r.deps.every(isEntryHash)) return 'entry has bad dependencies'
  const deps = r.deps as EntryHash[]
  for (let i = 1; i < deps.length; i++) {
    if ((deps[i - 1] as string) >= (deps[i] as string)) return 'entry dependencies are not sorted and distinct'
  }
  if (r.prev !== null && deps.includes(r.prev as EntryHash)) return 'entry lists its previous entry as a dependency'
  if (r.kind === 'genesis' && (r.seq !== 1 || deps.length > 0)) return 'a genesis must be its device’s first entry, with no dependencies'
  let canonical: string
  try {
    canonical = canonicalJson(raw as CanonicalValue)
  } catch {
    return 'entry is not canonical'
  }
  if (canonical !== text) return 'entry is not canonical'
  return {
    v: ENTRY_VERSION,
    board: r.board as BoardId,
    kind: r.kind,
    device: r.device,
    seq: r.seq,
    prev: r.prev as EntryHash | null,
    deps,
    at: r.at,
    data: r.data,
  }
}
