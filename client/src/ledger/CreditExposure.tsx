import type { CreditExposure as Exposure, UnitView } from '../../../shared/src'
import { amountText, type LedgerNameOf } from './names'

/** Credit lines and how much of them is used, with overshoots flagged (SPEC [G10]). */
export const CreditExposure = ({ credit, units, nameOf }: { credit: readonly Exposure[]; units: readonly UnitView[]; nameOf: LedgerNameOf }) => (
  <section className="ledger-card" aria-labelledby="ledger-credit-heading" data-testid="ledger-credit">
    <h3 id="ledger-credit-heading">Credit lines</h3>
    {credit.length === 0 ? (
      <p className="muted">No credit lines, and nobody is below zero.</p>
    ) : (
      <ul className="ledger-list">
        {credit.map((c) => (
          <li key={`${c.unit}:${c.member}`} className={c.overshoot ? 'overshoot' : undefined}>
            {nameOf(c.member)}: uses {amountText(units, c.unit, c.used)} of {amountText(units, c.unit, c.limit)} credit
            {c.lines.length > 0 && (
              <span className="muted"> (from {c.lines.map((l) => `${nameOf(l.creditor)} ${amountText(units, c.unit, l.amount)}`).join(', ')})</span>
            )}
            {c.overshoot && <strong className="error"> · over the limit</strong>}
          </li>
        ))}
      </ul>
    )}
  </section>
)
