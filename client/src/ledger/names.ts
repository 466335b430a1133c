import { formatAmount, type BoardMember, type UnitView } from '../../../shared/src'

/** A member's name for the ledger: their verified record's name, else a short form of the id. */
export type LedgerNameOf = (member: string | null) => string

export const ledgerNames =
  (members: ReadonlyMap<string, BoardMember>, me: string): LedgerNameOf =>
  (member) => {
    if (member === null) return 'the pool'
    const name = members.get(member)?.name ?? `member ${member.slice(0, 6)}`
    return member === me ? `${name} (you)` : name
  }

/** An amount of minor units with its unit, using the unit's decimals when the unit is declared. */
export const amountText = (units: readonly UnitView[], unit: string, minor: number | bigint): string => {
  const declared = units.find((u) => u.code === unit)
  return `${formatAmount(minor, declared?.decimals ?? 0)} ${unit}`
}
