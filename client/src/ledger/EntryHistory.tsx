import { useState } from 'react'
import { isReversalUnderWay, memberHistory, type EntryId, type LedgerView, type MemberId, type UnitView } from '../../../shared/src'
import { EntryItem } from './EntryItem'
import type { LedgerNameOf } from './names'

/** How many entries the list shows at first, and adds per "show older". */
const PAGE = 100

/**
 * Every entry, newest first, or one member's history (SPEC [G13]), each with its state; the newest
 * hundred at first, then a hundred more at a time, so a ledger of thousands opens quickly.
 */
export const EntryHistory = ({
  view,
  units,
  members,
  nameOf,
  me,
  readOnly,
  onReverse,
}: {
  view: LedgerView
  units: readonly UnitView[]
  members: readonly MemberId[]
  nameOf: LedgerNameOf
  me: MemberId
  readOnly: boolean
  onReverse: (id: EntryId) => void
}) => {
  // Entries a reversal already names (waiting or done) offer no second one, as reverseEntry refuses
  // one; an invalid reversal or one from an unknown device does not count.
  const underReversal = new Set(view.entries.filter(isReversalUnderWay).map((e) => e.body?.refs[0]))
  const [member, setMember] = useState('')
  const [shown, setShown] = useState(PAGE)
  const entries = member === '' ? [...view.entries].reverse() : memberHistory(view, member as MemberId)
  const older = entries.length - shown
  return (
    <section className="ledger-card" aria-labelledby="ledger-history-heading">
      <h3 id="ledger-history-heading">Entries</h3>
      <label className="row">
        Show
        <select
          aria-label="Show entries of"
          value={member}
          onChange={(e) => {
            setMember(e.target.value)
            setShown(PAGE)
          }}
        >
          <option value="">Everyone</option>
          {members.map((m) => (
            <option key={m} value={m}>
              {nameOf(m)}
            </option>
          ))}
        </select>
      </label>
      {entries.length === 0 ? (
        <p className="muted">No entries yet.</p>
      ) : (
        <ul className="ledger-entries" data-testid="ledger-entries">
          {entries.slice(0, shown).map((entry) => (
            <EntryItem key={entry.id} entry={entry} units={units} nameOf={nameOf}>
              {entry.status === 'confirmed' &&
                entry.body?.type !== 'reversal' &&
                entry.parties.includes(me) &&
                !underReversal.has(entry.id) && (
                  <button type="button" className="secondary" disabled={readOnly} onClick={() => onReverse(entry.id as EntryId)}>
                    Reverse
                  </button>
                )}
            </EntryItem>
          ))}
        </ul>
      )}
      {older > 0 && (
        <button type="button" className="secondary" onClick={() => setShown((n) => n + PAGE)}>
          Show {Math.min(PAGE, older)} older {older === 1 ? 'entry' : 'entries'} ({older} not shown)
        </button>
      )}
    </section>
  )
}
