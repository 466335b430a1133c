import { sha256 } from '@noble/hashes/sha2.js'
import { encodeUtf8 } from 'lib0/string'
import { isUnitCode, LEDGER_LIMITS, type LedgerUnit } from '../model/ledger'
import { toBase64url } from './base64url'
import { canonicalJson } from './canonical'

/**
 * Unit declarations (SPEC [G11]). A declaration is stored under `${code}/${digest}`, the digest
 * being a hash of the whole declaration, so two devices that declare one code differently write
 * two keys and neither overwrites the other. The unit in force for a code is the declaration with
 * the earliest `declaredAt`, then the lowest key: a pure function of the stored set.
 */
export interface UnitDeclaration extends LedgerUnit {
  readonly declaredAt: number
}

export interface UnitView extends LedgerUnit {
  /** Other declarations of the same code, not in force (shown so that people can sort it out). */
  readonly conflicts: readonly LedgerUnit[]
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what we refuse
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

export const unitDeclarationKey = (unit: UnitDeclaration): string =>
  `${unit.code}/${toBase64url(
    sha256(
      encodeUtf8(canonicalJson({ code: unit.code, label: unit.label, decimals: unit.decimals, declaredAt: unit.declaredAt })),
    ).slice(0, 8),
  )}`

/** A stored declaration read leniently: null unless every field is valid and the key matches. */
export const parseUnitDeclaration = (key: string, value: unknown): UnitDeclaration | null => {
  if (value === null || typeof value !== 'object') return null
  const v = value as Partial<Record<keyof UnitDeclaration, unknown>>
  if (!isUnitCode(v.code) || typeof v.label !== 'string' || v.label.trim() === '' || CONTROL.test(v.label)) return null
  // Length in UTF-16 units first, so that a huge label from a peer is never spread into an array.
  if (v.label.length > 2 * LEDGER_LIMITS.unitLabelMax || [...v.label].length > LEDGER_LIMITS.unitLabelMax) return null
  if (typeof v.decimals !== 'number' || !Number.isInteger(v.decimals) || v.decimals < 0 || v.decimals > LEDGER_LIMITS.decimalsMax) {
    return null
  }
  if (typeof v.declaredAt !== 'number' || !Number.isSafeInteger(v.declaredAt) || v.declaredAt < 0) return null
  const unit = { code: v.code, label: v.label, decimals: v.decimals, declaredAt: v.declaredAt }
  return unitDeclarationKey(unit) === key ? unit : null
}

/** The unit in force per code, by code (SPEC [G11]). */
export const chooseUnits = (stored: Iterable<readonly [string, unknown]>): readonly UnitView[] => {
  const byCode = new Map<string, { key: string; unit: UnitDeclaration }[]>()
  for (const [key, value] of stored) {
    const unit = parseUnitDeclaration(key, value)
    if (unit === null) continue
    const list = byCode.get(unit.code) ?? []
    list.push({ key, unit })
    byCode.set(unit.code, list)
  }
  const out: UnitView[] = []
  for (const list of byCode.values()) {
    list.sort((a, b) => a.unit.declaredAt - b.unit.declaredAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    const [first, ...rest] = list
    if (first === undefined) continue
    const plain = ({ code, label, decimals }: UnitDeclaration): LedgerUnit => ({ code, label, decimals })
    out.push(
      Object.freeze({
        ...plain(first.unit),
        conflicts: Object.freeze(rest.filter((r) => r.unit.label !== first.unit.label || r.unit.decimals !== first.unit.decimals).map((r) => plain(r.unit))),
      }),
    )
  }
  return Object.freeze(out.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)))
}
