import type { BadSignature, Equivocation, LedgerEntryView, UnitView } from '../../../shared/src'
import { EntryItem } from './EntryItem'
import type { LedgerNameOf } from './names'

/**
 * What did not verify or breaks the ledger's rules, kept out of balances and listed with the
 * reason (SPEC [G4], [G8], [G12]), and authors caught signing two entries with one sequence number.
 */
export const RejectedEntries = ({
  entries,
  equivocations,
  badSignatures,
  units,
  nameOf,
}: {
  entries: readonly LedgerEntryView[]
  equivocations: readonly Equivocation[]
  badSignatures: readonly BadSignature[]
  units: readonly UnitView[]
  nameOf: LedgerNameOf
}) => {
  if (entries.length === 0 && equivocations.length === 0 && badSignatures.length === 0) return null
  return (
    <section className="ledger-card warning" aria-labelledby="ledger-rejected-heading" data-testid="ledger-rejected">
      <h3 id="ledger-rejected-heading">Problems found</h3>
      {entries.length > 0 && (
        <ul className="ledger-entries">
          {entries.map((entry) => (
            <EntryItem key={entry.id} entry={entry} units={units} nameOf={nameOf} />
          ))}
        </ul>
      )}
      {equivocations.map((q) => (
        <p key={`${q.author}#${q.seq}`} className="error" data-testid="equivocation">
          {q.authorMember === null ? 'A device' : `A device of ${nameOf(q.authorMember)}`} signed {q.ids.length} different
          entries as its number {q.seq}. All are shown; talk to them about it.
        </p>
      ))}
      {badSignatures.length > 0 && (
        <p className="error">
          {badSignatures.length} signature{badSignatures.length === 1 ? '' : 's'} did not verify and {badSignatures.length === 1 ? 'is' : 'are'} ignored.
        </p>
      )}
    </section>
  )
}
