import { useState, type FormEvent } from 'react'

/**
 * Shown for a board link whose board the relay does not have yet (for example a first link minted
 * by the relay's operator): the first person to open it names the board.
 */
export const SetUpBoard = ({ onCreate }: { onCreate: (name: string) => string | null }) => {
  const [name, setName] = useState('')
  const [error, setError] = useState<string | null>(null)
  const submit = (event: FormEvent) => {
    event.preventDefault()
    setError(onCreate(name))
  }
  return (
    <form className="banner row" onSubmit={submit} aria-label="Set up this board" data-testid="set-up-board">
      <span>This board is new. Give it a name to start:</span>
      <label className="grow">
        <span className="visually-hidden">Board name</span>
        <input name="boardName" value={name} onChange={(e) => setName(e.target.value)} placeholder="Board name" />
      </label>
      <button type="submit">Start board</button>
      {error !== null && (
        <span role="alert" className="error">
          {error}
        </span>
      )}
    </form>
  )
}
