import { checkCharterContent, type CharterContent } from '../model/charter'
import { isId128 } from '../model/ids'
import { LIMITS } from '../model/limits'
import type { CanonicalValue } from '../rules/canonical'
import { isDeviceKey } from '../rules/ledgerEntries'
import { isEntryHash, type EntryHash, type EntryKind } from './entryFormat'

/**
 * The payload (`data`) of each entry kind, and its check (SPEC [E2]). A payload that does not
 * check makes the whole entry invalid: it is kept, flagged, and counts for nothing.
 */

export interface Profile {
  readonly name: string
  /** `#rrggbb`. */
  readonly color: string
}

/** Who may admit new members (SPEC [J3]). */
export type AdmitPolicy = 'any-member' | 'founder'

export interface GenesisData {
  /** The board's name when it was founded. */
  readonly name: string
  readonly founder: Profile
  /** Charter revision 0. */
  readonly charter: CharterContent
  readonly admit: AdmitPolicy
  /** 128 random bits, so that two boards founded alike still get different ids. */
  readonly nonce: string
}

/**
 * A signed capability: whoever holds the secret key matching `key` may redeem it with a join entry
 * (SPEC [J4]). `member` admits a new member; `device` binds a further device to the issuer's member.
 */
export interface InviteData {
  readonly purpose: 'member' | 'device'
  readonly key: string
  readonly expiresAt: number
  readonly uses: number
}

export interface JoinData {
  readonly invite: EntryHash
  /** The invitation key's signature over the board and the joining device key (joinProof.ts). */
  readonly proof: string
  /** The new member's name and colour; null when a device joins an existing member. */
  readonly profile: Profile | null
}

export interface RevokeData {
  /** The revoked device's key. */
  readonly device: string
}

export interface DataOfKind {
  readonly genesis: GenesisData
  readonly invite: InviteData
  readonly join: JoinData
  readonly revoke: RevokeData
  readonly profile: Profile
}

export const INVITE_USES_MAX = 1000

const COLOR = /^#[0-9a-f]{6}$/
// eslint-disable-next-line no-control-regex -- control characters are exactly what we refuse
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

/** A name as ops write it: trimmed, 1..max code points, one line. */
const isLine = (value: unknown, max: number): value is string =>
  typeof value === 'string' &&
  value === value.trim() &&
  value.length > 0 &&
  [...value].length <= max &&
  !CONTROL.test(value)

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

const hasExactly = (value: Record<string, unknown>, keys: readonly string[]): boolean => {
  const own = Object.keys(value)
  return own.length === keys.length && keys.every((k) => Object.hasOwn(value, k))
}

export const isProfile = (value: unknown): value is Profile =>
  isObject(value) && hasExactly(value, ['color', 'name']) && isLine(value.name, LIMITS.memberNameMax) && typeof value.color === 'string' && COLOR.test(value.color)

const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0

const checkers: { readonly [K in EntryKind]: (data: unknown) => string | null } = {
  genesis: (d) => {
    if (!isObject(d) || !hasExactly(d, ['admit', 'charter', 'founder', 'name', 'nonce'])) return 'genesis has the wrong fields'
    if (!isLine(d.name, LIMITS.boardNameMax)) return 'genesis has a bad board name'
    if (!isProfile(d.founder)) return 'genesis has a bad founder profile'
    if (d.admit !== 'any-member' && d.admit !== 'founder') return 'genesis has an unknown admission rule'
    if (!isId128(d.nonce)) return 'genesis has a bad nonce'
    const charter = checkCharterContent(d.charter)
    if (typeof charter === 'string') return `genesis charter: ${charter}`
    return null
  },
  invite: (d) => {
    if (!isObject(d) || !hasExactly(d, ['expiresAt', 'key', 'purpose', 'uses'])) return 'invitation has the wrong fields'
    if (d.purpose !== 'member' && d.purpose !== 'device') return 'invitation has an unknown purpose'
    if (!isDeviceKey(d.key)) return 'invitation has a malformed key'
    if (!isTime(d.expiresAt)) return 'invitation has a bad expiry'
    if (typeof d.uses !== 'number' || !Number.isSafeInteger(d.uses) || d.uses < 1 || d.uses > INVITE_USES_MAX) {
      return 'invitation has a bad number of uses'
    }
    return null
  },
  join: (d) => {
    if (!isObject(d) || !hasExactly(d, ['invite', 'profile', 'proof'])) return 'join has the wrong fields'
    if (!isEntryHash(d.invite)) return 'join names a malformed invitation'
    if (typeof d.proof !== 'string' || d.proof.length !== 86) return 'join has a malformed proof'
    if (d.profile !== null && !isProfile(d.profile)) return 'join has a bad profile'
    return null
  },
  revoke: (d) => {
    if (!isObject(d) || !hasExactly(d, ['device'])) return 'revocation has the wrong fields'
    if (!isDeviceKey(d.device)) return 'revocation names a malformed device key'
    return null
  },
  profile: (d) => (isProfile(d) ? null : 'profile has a bad name or colour'),
}

/** Why `data` is not a valid payload of `kind`, or null when it is. */
export const entryDataProblem = (kind: EntryKind, data: unknown): string | null => checkers[kind](data)

/** `data` as the canonical value an author signs. */
export const dataValue = <K extends EntryKind>(_kind: K, data: DataOfKind[K]): CanonicalValue =>
  data as unknown as CanonicalValue
