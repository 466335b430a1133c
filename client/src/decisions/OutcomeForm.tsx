import { useState } from 'react'

/** The outcome statement and review date of a closed poll (SPEC [C12]). */
export const OutcomeForm = ({
  initialStatement,
  onSave,
}: {
  initialStatement: string
  onSave: (statement: string, reviewAt: number | null) => string | null
}) => {
  const [statement, setStatement] = useState(initialStatement)
  const [review, setReview] = useState('')
  const [error, setError] = useState<string | null>(null)
  return (
    <form
      className="stack"
      aria-label="Outcome"
      onSubmit={(e) => {
        e.preventDefault()
        const reviewAt = review === '' ? null : new Date(review).getTime()
        setError(onSave(statement, reviewAt !== null && Number.isFinite(reviewAt) ? reviewAt : null))
      }}
    >
      <label className="stack">
        Outcome statement
        <textarea value={statement} rows={2} onChange={(e) => setStatement(e.target.value)} />
      </label>
      <label>
        Review on <input type="datetime-local" step={1} value={review} onChange={(e) => setReview(e.target.value)} />
      </label>
      <button type="submit">Save outcome</button>
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  )
}
