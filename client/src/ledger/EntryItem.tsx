import type { ReactNode } from 'react'
import type { LedgerEntryView, UnitView } from '../../../shared/src'
import { entryText } from './entryText'
import { EntryStatus } from './EntryStatus'
import type { LedgerNameOf } from './names'

/** One entry: what it says, its memo, when, and its verification state; actions when given. */
export const EntryItem = ({
  entry,
  units,
  nameOf,
  children,
}: {
  entry: LedgerEntryView
  units: readonly UnitView[]
  nameOf: LedgerNameOf
  children?: ReactNode
}) => {
  // createdAt is the author's advisory clock: any whole number, so only a real date is shown.
  const when = entry.body !== null && entry.body.createdAt > 0 ? new Date(entry.body.createdAt) : null
  const shown = when !== null && Number.isFinite(when.getTime()) ? when : null
  return (
    <li className={`ledger-entry status-${entry.status}`} data-entry-id={entry.id} data-status={entry.status}>
      <div className="ledger-entry-main">
        <span className="ledger-entry-text">
          {entry.body === null ? 'An unreadable entry' : entryText(entry.body, units, nameOf)}
        </span>
        {entry.body !== null && entry.body.memo !== '' && <span className="ledger-memo">“{entry.body.memo}”</span>}
      </div>
      <div className="ledger-entry-meta">
        <EntryStatus entry={entry} nameOf={nameOf} />
        {shown !== null && (
          <time className="muted" dateTime={shown.toISOString()}>
            {shown.toLocaleString()}
          </time>
        )}
        <code className="muted" title={entry.id}>
          {entry.id.slice(0, 8)}
        </code>
        {children}
      </div>
    </li>
  )
}
