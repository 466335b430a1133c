import { useEffect, useState } from 'react'
import { PROPOSAL_STATUSES, type Proposal, type ProposalStatus } from '../../../shared/src'

interface Props {
  readonly proposal: Proposal
  readonly readOnly: boolean
  /** Each returns an error message for people, or null when written. */
  readonly onRename: (title: string) => string | null
  readonly onStatus: (status: ProposalStatus) => string | null
}

/** Title (renamed on Enter or when leaving the field), status, author and date. */
export const ProposalHeader = ({ proposal, readOnly, onRename, onStatus }: Props) => {
  const [title, setTitle] = useState(proposal.title)
  const [error, setError] = useState<string | null>(null)
  // Follow remote renames unless the field holds an unsaved edit of ours.
  const [editing, setEditing] = useState(false)
  useEffect(() => {
    if (!editing) setTitle(proposal.title)
  }, [proposal.title, editing])

  const commit = () => {
    setEditing(false)
    if (title === proposal.title) return
    const problem = onRename(title)
    setError(problem)
    if (problem !== null) setTitle(proposal.title)
  }

  return (
    <header className="proposal-header">
      <label className="title-field">
        <span className="visually-hidden">Proposal title</span>
        <input
          name="title"
          className="title-input"
          value={title}
          readOnly={readOnly}
          onFocus={() => setEditing(true)}
          onChange={(e) => setTitle(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') e.currentTarget.blur()
            if (e.key === 'Escape') {
              setTitle(proposal.title)
              setEditing(false)
            }
          }}
        />
      </label>
      <div className="meta-row">
        <label>
          Status{' '}
          <select
            name="status"
            value={proposal.status}
            disabled={readOnly}
            onChange={(e) => setError(onStatus(e.target.value as ProposalStatus))}
          >
            {PROPOSAL_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">
          by {proposal.authorName || 'someone'} · {new Date(proposal.createdAt).toLocaleDateString()}
        </span>
      </div>
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </header>
  )
}
