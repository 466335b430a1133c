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
}) => (
  <li className={`ledger-entry status-${entry.status}`} data-entry-id={entry.id} data-status={entry.status}>
    <div className="ledger-entry-main">
      <span className="ledger-entry-text">
        {entry.body === null ? 'An unreadable entry' : entryText(entry.body, units, nameOf)}
      </span>
      {entry.body !== null && entry.body.memo !== '' && <span className="ledger-memo">“{entry.body.memo}”</span>}
    </div>
    <div className="ledger-entry-meta">
      <EntryStatus entry={entry} nameOf={nameOf} />
      {entry.body !== null && entry.body.createdAt > 0 && (
        <time className="muted" dateTime={new Date(entry.body.createdAt).toISOString()}>
          {new Date(entry.body.createdAt).toLocaleString()}
        </time>
      )}
      <code className="muted" title={entry.id}>
        {entry.id.slice(0, 8)}
      </code>
      {children}
    </div>
  </li>
)
