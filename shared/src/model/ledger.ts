import { invalidInput, PeerboardError } from './errors'
import type { EntryId, LedgerId, MemberId } from './ids'

/**
 * Resource-sharing ledgers (SPEC [G1]-[G16]): plain types, limits and input checks. An entry is
 * a signed, immutable statement by one device; balances and everything else are derived from
 * the set of entries and signatures (rules/ledgerView.ts).
 */

/** The kinds of entry (SPEC [G2]). */
export const ENTRY_TYPES = ['contribution', 'usage', 'transfer', 'pledge', 'reversal', 'creditLine'] as const
export type EntryType = (typeof ENTRY_TYPES)[number]

export const isEntryType = (value: unknown): value is EntryType =>
  typeof value === 'string' && (ENTRY_TYPES as readonly string[]).includes(value)

export const LEDGER_LIMITS = {
  /** Longest memo, in code points (one line). */
  memoMax: 280,
  /** Most refs an entry carries. */
  refsMax: 8,
  /** Longest ref, in characters (a ref names an entry, a decision, a poll: opaque text). */
  refMax: 120,
  /** Longest unit label, in code points. */
  unitLabelMax: 40,
  /** Most decimals a unit has (minor units per major unit: 10^decimals). */
  decimalsMax: 6,
} as const

/** A unit code: a letter, then letters, digits or hyphens; 1-24 characters ("EUR", "bike-days"). */
export const UNIT_CODE_PATTERN = /^[A-Za-z][A-Za-z0-9-]{0,23}$/
export const isUnitCode = (value: unknown): value is string => typeof value === 'string' && UNIT_CODE_PATTERN.test(value)

/** A unit of a ledger: amounts are integers of its minor unit, 10^decimals of which make one. */
export interface LedgerUnit {
  readonly code: string
  readonly label: string
  readonly decimals: number
}

/** The signed body of an entry (SPEC [G2]); field names and order of meaning per DESIGN 6.2. */
export interface EntryBody {
  readonly v: 1
  readonly ledger: LedgerId
  readonly type: EntryType
  readonly unit: string
  /** A positive safe integer, in the unit's minor units. */
  readonly amount: number
  readonly from: MemberId | null
  readonly to: MemberId | null
  readonly refs: readonly string[]
  /** The signing device's public key, base64url. */
  readonly author: string
  /** 1 for the author's first entry in this ledger, then one more each time. */
  readonly seq: number
  /** The id of the author's previous entry (null for seq 1). */
  readonly prev: EntryId | null
  /** Advisory only: the author's clock. */
  readonly createdAt: number
  readonly memo: string
}

/**
 * What is stored under an entry id: the signed canonical bytes verbatim (as a string), the signing
 * device key and its signature, both base64url.
 */
export interface EntryEnvelope {
  readonly body: string
  readonly signer: string
  readonly sig: string
}

/**
 * Who must sign an entry for it to count (SPEC [G6]): every party whose balance falls or whose
 * obligation grows. A reversal needs the parties of the entry it reverses.
 */
export const requiredParties = (body: Pick<EntryBody, 'type' | 'from' | 'to'>): readonly MemberId[] => {
  const parties: MemberId[] = []
  switch (body.type) {
    case 'contribution':
    case 'usage':
    case 'pledge':
    case 'creditLine':
      if (body.from !== null) parties.push(body.from)
      break
    case 'transfer':
    case 'reversal':
      if (body.from !== null) parties.push(body.from)
      if (body.to !== null && body.to !== body.from) parties.push(body.to)
      break
  }
  return parties
}

/**
 * A major-unit amount typed by a person ("12.50", "3", "0.5") as an integer of minor units, exactly
 * (no floating point): digits with at most `decimals` decimals, a point or a comma as separator.
 */
export const parseAmount = (text: string, decimals: number, field = 'amount'): number => {
  const trimmed = text.trim().replace(/[\s_']/g, '')
  const match = /^(\d+)(?:[.,](\d*))?$/.exec(trimmed)
  if (match === null) throw invalidInput(field, 'Amount must be a positive number, like 12 or 12.50.')
  const whole = match[1] ?? '0'
  const fraction = match[2] ?? ''
  if (fraction.length > decimals) {
    throw invalidInput(
      field,
      decimals === 0 ? 'This unit takes whole amounts only.' : `This unit takes at most ${decimals} decimals.`,
    )
  }
  const minor = BigInt(whole) * 10n ** BigInt(decimals) + BigInt((fraction + '0'.repeat(decimals)).slice(0, decimals) || '0')
  if (minor <= 0n) throw invalidInput(field, 'Amount must be more than zero.')
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) throw invalidInput(field, 'Amount is too large.')
  return Number(minor)
}

/** An amount of minor units (number or bigint, signed) in major units, exactly: 1250, 2 -> "12.50". */
export const formatAmount = (minor: number | bigint, decimals: number): string => {
  const value = BigInt(minor)
  const negative = value < 0n
  const digits = (negative ? -value : value).toString().padStart(decimals + 1, '0')
  const whole = decimals === 0 ? digits : digits.slice(0, -decimals)
  const fraction = decimals === 0 ? '' : `.${digits.slice(-decimals)}`
  return `${negative ? '-' : ''}${whole}${fraction}`
}

/** One refused line of an import file: 1-based line number and why. */
export interface ImportProblem {
  readonly line: number
  readonly reason: string
}

/** An import refused as a whole (SPEC [G16]): nothing was written; `problems` says why, per line. */
export class LedgerImportError extends PeerboardError {
  readonly problems: readonly ImportProblem[]

  constructor(problems: readonly ImportProblem[]) {
    const first = problems[0]
    super(
      'invalid-input',
      first === undefined
        ? 'Nothing was imported.'
        : `Nothing was imported: ${problems.length} line${problems.length === 1 ? '' : 's'} refused (line ${first.line}: ${first.reason}).`,
      'file',
    )
    this.problems = problems
  }
}
