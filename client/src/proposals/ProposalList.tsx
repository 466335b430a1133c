import type { Proposal, ProposalId } from '../../../shared/src'
import { StatusChip } from './StatusChip'

interface Props {
  readonly proposals: readonly Proposal[]
  readonly selected: ProposalId | null
  readonly readOnly: boolean
  readonly onSelect: (id: ProposalId) => void
  readonly onMove: (id: ProposalId, toIndex: number) => void
  /** Proposals whose decision has come up for review (SPEC [C12]). */
  readonly reviewDue?: ReadonlySet<ProposalId>
}

/** The board's proposals in board order; reorder with the arrow buttons (or Alt+↑/↓ on an item). */
export const ProposalList = ({ proposals, selected, readOnly, onSelect, onMove, reviewDue }: Props) => {
  if (proposals.length === 0) {
    return <p className="muted">No proposals yet.</p>
  }
  return (
    <ol className="proposal-list" aria-label="Proposals" data-testid="proposal-list">
      {proposals.map((p, index) => (
        <li key={p.id} className={p.id === selected ? 'selected' : undefined} data-proposal-id={p.id}>
          <button
            type="button"
            className="proposal-open"
            aria-current={p.id === selected ? 'true' : undefined}
            onClick={() => onSelect(p.id)}
            onKeyDown={(e) => {
              if (readOnly || !e.altKey) return
              if (e.key === 'ArrowUp' && index > 0) onMove(p.id, index - 1)
              else if (e.key === 'ArrowDown' && index < proposals.length - 1) onMove(p.id, index + 1)
              else return
              e.preventDefault()
            }}
          >
            <span className="proposal-title">{p.title || 'Untitled'}</span>
            {reviewDue?.has(p.id) === true && <span className="chip status-open">Review due</span>}
            <StatusChip status={p.status} />
          </button>
          {!readOnly && (
            <span className="move">
              <button
                type="button"
                aria-label={`Move “${p.title}” up`}
                disabled={index === 0}
                onClick={() => onMove(p.id, index - 1)}
              >
                ↑
              </button>
              <button
                type="button"
                aria-label={`Move “${p.title}” down`}
                disabled={index === proposals.length - 1}
                onClick={() => onMove(p.id, index + 1)}
              >
                ↓
              </button>
            </span>
          )}
        </li>
      ))}
    </ol>
  )
}
