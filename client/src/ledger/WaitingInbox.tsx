import type { EntryId, LedgerEntryView, UnitView } from '../../../shared/src'
import { EntryItem } from './EntryItem'
import type { LedgerNameOf } from './names'

/** Entries waiting for this member's signature (SPEC [G6]): countersign or decline each. */
export const WaitingInbox = ({
  entries,
  units,
  nameOf,
  readOnly,
  onCountersign,
  onDecline,
}: {
  entries: readonly LedgerEntryView[]
  units: readonly UnitView[]
  nameOf: LedgerNameOf
  readOnly: boolean
  onCountersign: (id: EntryId) => void
  onDecline: (id: EntryId) => void
}) => (
  <section className="ledger-card" aria-labelledby="ledger-inbox-heading" data-testid="ledger-inbox">
    <h3 id="ledger-inbox-heading">Waiting for you</h3>
    {entries.length === 0 ? (
      <p className="muted">Nothing waits for your signature.</p>
    ) : (
      <ul className="ledger-entries">
        {entries.map((entry) => (
          <EntryItem key={entry.id} entry={entry} units={units} nameOf={nameOf}>
            <span className="ledger-actions">
              <button type="button" disabled={readOnly} onClick={() => onCountersign(entry.id as EntryId)}>
                Countersign
              </button>
              <button type="button" className="secondary" disabled={readOnly} onClick={() => onDecline(entry.id as EntryId)}>
                Decline
              </button>
            </span>
          </EntryItem>
        ))}
      </ul>
    )}
  </section>
)
