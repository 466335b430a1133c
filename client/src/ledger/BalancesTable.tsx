import type { LedgerView, MemberId, UnitView } from '../../../shared/src'
import { amountText, type LedgerNameOf } from './names'

/**
 * Balances per member per unit and the pool's totals (SPEC [G5]), counting only confirmed entries.
 * A positive balance: the member has put in more than they took; negative: they owe the group.
 */
export const BalancesTable = ({
  view,
  units,
  members,
  nameOf,
}: {
  view: LedgerView
  units: readonly UnitView[]
  members: readonly MemberId[]
  nameOf: LedgerNameOf
}) => {
  const codes = [...new Set([...units.map((u) => u.code), ...view.balances.map((b) => b.unit), ...view.pool.map((p) => p.unit)])].sort()
  const rows = [...new Set([...members, ...view.balances.map((b) => b.member)])].sort((a, b) => nameOf(a).localeCompare(nameOf(b)))
  const balance = (unit: string, member: MemberId) =>
    view.balances.find((b) => b.unit === unit && b.member === member)?.balance ?? 0n
  return (
    <section className="ledger-card" aria-labelledby="ledger-balances-heading">
      <h3 id="ledger-balances-heading">Balances</h3>
      {codes.length === 0 ? (
        <p className="muted">No units yet: add one (hours, EUR, bike-days…) to start the ledger.</p>
      ) : (
        <table className="ledger-table" data-testid="ledger-balances">
          <thead>
            <tr>
              <th scope="col">Member</th>
              {codes.map((code) => (
                <th scope="col" key={code}>
                  {code}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((member) => (
              <tr key={member} data-member={member}>
                <th scope="row">{nameOf(member)}</th>
                {codes.map((code) => (
                  <td key={code} data-unit={code} className={balance(code, member) < 0n ? 'negative' : undefined}>
                    {amountText(units, code, balance(code, member))}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-testid="ledger-pool">
              <th scope="row">Pool</th>
              {codes.map((code) => (
                <td key={code} data-unit={code}>
                  {amountText(units, code, view.pool.find((p) => p.unit === code)?.total ?? 0n)}
                </td>
              ))}
            </tr>
          </tfoot>
        </table>
      )}
    </section>
  )
}
