import { useState } from 'react'
import {
  defaultParams,
  isPositionMethod,
  POLL_METHODS,
  RESULTS_VISIBILITY,
  type CharterContent,
  type PollMethod,
  type PollParams,
  type ResultsVisibility,
} from '../../../shared/src'
import { localDateTime, METHOD_LABELS } from './labels'

export interface OpenPollRequest {
  readonly method: PollMethod
  readonly params: PollParams
  readonly options: readonly string[]
  readonly closesAt: number
  readonly results: ResultsVisibility
}

const RESULTS_LABELS: Record<ResultsVisibility, string> = {
  visible: 'Always visible',
  'until-vote': 'Hidden until you take a stance',
  'until-close': 'Hidden until the poll closes',
}

/** "Open a poll" (or restart one): method, options, closing time and results visibility (SPEC [C1]). */
export const OpenPollForm = ({
  charter,
  amendment,
  submitLabel,
  onOpen,
}: {
  charter: CharterContent
  amendment: boolean
  submitLabel: string
  onOpen: (request: OpenPollRequest) => string | null
}) => {
  const [method, setMethod] = useState<PollMethod>(charter.method)
  const [options, setOptions] = useState('')
  const [closesAt, setClosesAt] = useState(() => localDateTime(Date.now() + 24 * 3_600_000))
  const [results, setResults] = useState<ResultsVisibility>(charter.results)
  const [dots, setDots] = useState(8)
  const [choices, setChoices] = useState(3)
  const [error, setError] = useState<string | null>(null)
  const methods = amendment ? POLL_METHODS.filter((m) => isPositionMethod(m) && m !== 'advice') : POLL_METHODS
  const needsOptions = !isPositionMethod(method)
  return (
    <form
      className="stack poll-form"
      aria-label="Open a poll"
      onSubmit={(e) => {
        e.preventDefault()
        const when = new Date(closesAt).getTime()
        if (!Number.isFinite(when)) return setError('Choose when the poll closes.')
        const base = method === charter.method ? charter.params : defaultParams(method)
        const params: PollParams = { ...base, dots: method === 'dots' ? dots : base.dots, choices: method === 'ranked' ? choices : base.choices }
        const list = needsOptions ? options.split('\n').map((o) => o.trim()).filter((o) => o !== '') : []
        setError(onOpen({ method, params, options: list, closesAt: when, results }))
      }}
    >
      <label>
        Method{' '}
        <select value={method} onChange={(e) => setMethod(e.target.value as PollMethod)}>
          {methods.map((m) => (
            <option key={m} value={m}>
              {METHOD_LABELS[m]}
            </option>
          ))}
        </select>
      </label>
      {needsOptions && (
        <label className="stack">
          Options (one per line)
          <textarea value={options} rows={4} onChange={(e) => setOptions(e.target.value)} />
        </label>
      )}
      {method === 'dots' && (
        <label>
          Dots per member <input type="number" min={1} max={100} value={dots} onChange={(e) => setDots(Number(e.target.value))} />
        </label>
      )}
      {method === 'ranked' && (
        <label>
          Options each member ranks{' '}
          <input type="number" min={1} max={20} value={choices} onChange={(e) => setChoices(Number(e.target.value))} />
        </label>
      )}
      <label>
        Closes at <input type="datetime-local" step={1} value={closesAt} onChange={(e) => setClosesAt(e.target.value)} />
      </label>
      <label>
        Results{' '}
        <select value={results} onChange={(e) => setResults(e.target.value as ResultsVisibility)}>
          {RESULTS_VISIBILITY.map((r) => (
            <option key={r} value={r}>
              {RESULTS_LABELS[r]}
            </option>
          ))}
        </select>
      </label>
      <p className="muted">
        Reasons: {charter.reasons.replace(/-/g, ' ')} · quorum {charter.quorumPct}% (set by the charter)
      </p>
      <button type="submit">{submitLabel}</button>
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  )
}
