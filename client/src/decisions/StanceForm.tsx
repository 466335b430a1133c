import { useState } from 'react'
import { METHOD_POSITIONS, isPositionMethod, type PollDefinition, type StanceChoice } from '../../../shared/src'
import { POSITION_LABELS } from './labels'

/** Take or change a stance, with a reason when the poll takes one (SPEC [C2], [C4], [C5]). */
export const StanceForm = ({
  def,
  hasStance,
  onCast,
}: {
  def: PollDefinition
  hasStance: boolean
  onCast: (choice: StanceChoice, reason: string) => string | null
}) => {
  const positional = isPositionMethod(def.method)
  const [position, setPosition] = useState<string>('')
  const [numbers, setNumbers] = useState<number[]>(() =>
    def.method === 'ranked' ? Array.from({ length: def.params.choices }, (_, i) => i) : def.options.map(() => 0),
  )
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string | null>(null)
  const setAt = (i: number, value: number): void => setNumbers((list) => list.map((n, j) => (j === i ? value : n)))
  return (
    <form
      className="stack stance-form"
      aria-label="Your stance"
      onSubmit={(e) => {
        e.preventDefault()
        if (positional && position === '') return setError('Choose a position.')
        const result = onCast(positional ? position : numbers, reason)
        setError(result)
        if (result === null) setReason('')
      }}
    >
      {positional ? (
        <fieldset className="row positions">
          <legend>Your position</legend>
          {(METHOD_POSITIONS[def.method as keyof typeof METHOD_POSITIONS] as readonly string[]).map((p) => (
            <label key={p}>
              <input type="radio" name="position" value={p} checked={position === p} onChange={() => setPosition(p)} />{' '}
              {POSITION_LABELS[p] ?? p}
            </label>
          ))}
        </fieldset>
      ) : def.method === 'ranked' ? (
        numbers.map((option, rank) => (
          <label key={rank}>
            Rank {rank + 1}{' '}
            <select value={option} onChange={(e) => setAt(rank, Number(e.target.value))}>
              {def.options.map((label, i) => (
                <option key={label} value={i}>
                  {label}
                </option>
              ))}
            </select>
          </label>
        ))
      ) : (
        def.options.map((label, i) => (
          <label key={label}>
            {label}{' '}
            <input
              type="number"
              min={0}
              max={def.method === 'score' ? 5 : def.params.dots}
              value={numbers[i] ?? 0}
              onChange={(e) => setAt(i, Number(e.target.value))}
            />
          </label>
        ))
      )}
      {def.reasons !== 'disabled' && (
        <label className="stack">
          Reason{def.reasons === 'required' ? ' (required)' : def.reasons === 'required-for-objection' ? ' (required for an objection or block)' : ''}
          <textarea value={reason} rows={2} onChange={(e) => setReason(e.target.value)} />
        </label>
      )}
      <button type="submit">{hasStance ? 'Change stance' : 'Cast stance'}</button>
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  )
}
