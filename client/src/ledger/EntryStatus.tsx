import type { LedgerEntryView } from '../../../shared/src'
import type { LedgerNameOf } from './names'

const LABELS: Record<LedgerEntryView['status'], string> = {
  confirmed: 'verified',
  pending: 'pending',
  declined: 'declined',
  reversed: 'reversed',
  'unknown-device': 'unknown device',
  invalid: 'rejected',
}

/** An entry's verification state in words (SPEC [G4]-[G9]), with its reason or what it waits for. */
export const EntryStatus = ({ entry, nameOf }: { entry: LedgerEntryView; nameOf: LedgerNameOf }) => {
  let detail: string | null = entry.reason
  if (entry.status === 'pending' && entry.waitingFor.length > 0) {
    detail = `waiting for ${entry.waitingFor.map(nameOf).join(' and ')}`
  }
  if (entry.status === 'declined') detail = `by ${entry.declinedBy.map(nameOf).join(' and ')}`
  return (
    <span className={`ledger-status status-${entry.status}`} data-testid="entry-status">
      {LABELS[entry.status]}
      {detail !== null && `: ${detail}`}
      {entry.equivocation && ' · equivocation: another entry has the same sequence number'}
      {entry.chain === 'gap' && ' · an earlier entry of its author is missing'}
      {entry.chain === 'broken' && ' · broken chain'}
    </span>
  )
}
