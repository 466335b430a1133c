import { useState } from 'react'
import {
  defaultParams,
  formatConduct,
  parseConduct,
  POLL_METHODS,
  REASONS_SETTINGS,
  RESULTS_VISIBILITY,
  type CharterContent,
  type PollMethod,
  type ReasonsSetting,
  type ResultsVisibility,
} from '../../../shared/src'
import { METHOD_LABELS } from '../decisions/labels'

/** Edits charter content: the rules a charter amendment puts forward (SPEC [H3], [H6]). */
export const CharterForm = ({
  content,
  readOnly,
  onSave,
}: {
  content: CharterContent
  readOnly: boolean
  onSave: (content: CharterContent) => string | null
}) => {
  const [method, setMethod] = useState<PollMethod>(content.method)
  const [quorum, setQuorum] = useState(content.quorumPct)
  const [grace, setGrace] = useState(content.graceMinutes)
  const [reasons, setReasons] = useState<ReasonsSetting>(content.reasons)
  const [results, setResults] = useState<ResultsVisibility>(content.results)
  const [conduct, setConduct] = useState(formatConduct(content.conduct))
  const [error, setError] = useState<string | null>(null)
  return (
    <form
      className="stack amendment-editor"
      aria-label="Proposed charter"
      onSubmit={(e) => {
        e.preventDefault()
        setError(
          onSave({
            ...content,
            method,
            params: method === content.method ? content.params : defaultParams(method),
            quorumPct: quorum,
            graceMinutes: grace,
            reasons,
            results,
            conduct: parseConduct(conduct),
          }),
        )
      }}
    >
      <h3>Proposed charter</h3>
      <fieldset disabled={readOnly} className="stack">
        <label>
          Default method{' '}
          <select value={method} onChange={(e) => setMethod(e.target.value as PollMethod)}>
            {POLL_METHODS.map((m) => (
              <option key={m} value={m}>
                {METHOD_LABELS[m]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Quorum (%) <input type="number" min={0} max={100} value={quorum} onChange={(e) => setQuorum(Number(e.target.value))} />
        </label>
        <label>
          Closing grace (minutes){' '}
          <input type="number" min={0} value={grace} onChange={(e) => setGrace(Number(e.target.value))} />
        </label>
        <label>
          Reasons{' '}
          <select value={reasons} onChange={(e) => setReasons(e.target.value as ReasonsSetting)}>
            {REASONS_SETTINGS.map((r) => (
              <option key={r} value={r}>
                {r.replace(/-/g, ' ')}
              </option>
            ))}
          </select>
        </label>
        <label>
          Results{' '}
          <select value={results} onChange={(e) => setResults(e.target.value as ResultsVisibility)}>
            {RESULTS_VISIBILITY.map((r) => (
              <option key={r} value={r}>
                {r.replace(/-/g, ' ')}
              </option>
            ))}
          </select>
        </label>
        <label className="stack">
          Rules of conduct (# heading, - bullet, 1. numbered, blank line between blocks)
          <textarea rows={6} value={conduct} onChange={(e) => setConduct(e.target.value)} />
        </label>
        <button type="submit">Save proposed charter</button>
      </fieldset>
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  )
}
