import type { PledgeView, UnitView } from '../../../shared/src'
import { amountText, type LedgerNameOf } from './names'

const STATES: Record<PledgeView['state'], string> = {
  open: 'open',
  'partly-fulfilled': 'partly fulfilled',
  fulfilled: 'fulfilled',
}

/** Pledges and how far they are fulfilled by entries that name them (SPEC [G14]). */
export const PledgesList = ({ pledges, units, nameOf }: { pledges: readonly PledgeView[]; units: readonly UnitView[]; nameOf: LedgerNameOf }) => (
  <section className="ledger-card" aria-labelledby="ledger-pledges-heading" data-testid="ledger-pledges">
    <h3 id="ledger-pledges-heading">Pledges</h3>
    {pledges.length === 0 ? (
      <p className="muted">No pledges.</p>
    ) : (
      <ul className="ledger-list">
        {pledges.map((p) => (
          <li key={p.id} data-status={p.status}>
            {nameOf(p.from)} pledged {amountText(units, p.unit, p.amount)}
            {p.to !== null && ` to ${nameOf(p.to)}`}
            {p.refs.length > 0 && <span className="muted"> for {p.refs.join(', ')}</span>}
            {p.memo !== '' && <span className="muted"> · “{p.memo}”</span>}
            <div className="small">
              {p.status === 'confirmed'
                ? `${STATES[p.state]}: ${amountText(units, p.unit, p.fulfilled)} of ${amountText(units, p.unit, p.amount)}`
                : p.status}
            </div>
          </li>
        ))}
      </ul>
    )}
  </section>
)
