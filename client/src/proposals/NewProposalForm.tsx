import { useState, type FormEvent } from 'react'

/** Title of a new proposal; `onCreate` throws a PeerboardError for bad input (shown here). */
export const NewProposalForm = ({
  disabled,
  onCreate,
}: {
  disabled: boolean
  onCreate: (title: string) => string | null
}) => {
  const [title, setTitle] = useState('')
  const [error, setError] = useState<string | null>(null)
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const problem = onCreate(title)
    setError(problem)
    if (problem === null) setTitle('')
  }
  return (
    <form className="stack compact" onSubmit={submit} aria-label="New proposal">
      <label>
        <span className="visually-hidden">New proposal title</span>
        <input
          name="proposalTitle"
          placeholder="New proposal title"
          value={title}
          disabled={disabled}
          onChange={(e) => setTitle(e.target.value)}
        />
      </label>
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={disabled}>
        Add proposal
      </button>
    </form>
  )
}
