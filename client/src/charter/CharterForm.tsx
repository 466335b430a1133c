import { useState } from 'react'
import {
  defaultParams,
  formatConduct,
  parseConduct,
  POLL_METHODS,
  REASONS_SETTINGS,
  RESULTS_VISIBILITY,
  type Chamber,
  type CharterContent,
  type BoardMember,
  type MemberId,
  type PollMethod,
  type ReasonsSetting,
  type ResultsVisibility,
} from '../../../shared/src'
import { METHOD_LABELS } from '../decisions/labels'
import { ChamberThresholdsField } from './ChamberThresholdsField'
import { chamberDraftsOf, chambersFromDrafts, passDraftOf, passFromDraft, type ChamberDraft, type PassDraft } from './charterDraft'
import { OpenersField } from './OpenersField'
import { PassTestField } from './PassTestField'

/**
 * Edits charter content: the rules a charter amendment puts forward (SPEC [H3], [H6]). The browser
 * does not validate the fields: the shared check does, and its message shows.
 */
export const CharterForm = ({
  content,
  members,
  chambers,
  readOnly,
  onSave,
}: {
  content: CharterContent
  /** The board's verified members, offered as who may open polls. */
  members: readonly BoardMember[]
  /** The stakeholder map's chambers, offered for thresholds. */
  chambers: readonly Chamber[]
  readOnly: boolean
  onSave: (content: CharterContent) => string | null
}) => {
  const [openers, setOpeners] = useState(content.openers)
  const [openerList, setOpenerList] = useState<readonly MemberId[]>(content.openerList)
  const [method, setMethod] = useState<PollMethod>(content.method)
  const [pass, setPass] = useState<PassDraft>(passDraftOf(content.params.pass))
  const [chamberDrafts, setChamberDrafts] = useState<readonly ChamberDraft[]>(chamberDraftsOf(content.chambers))
  const [quorum, setQuorum] = useState(content.quorumPct)
  const [grace, setGrace] = useState(content.graceMinutes)
  const [reasons, setReasons] = useState<ReasonsSetting>(content.reasons)
  const [results, setResults] = useState<ResultsVisibility>(content.results)
  const [conduct, setConduct] = useState(formatConduct(content.conduct))
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState(false)
  return (
    <form
      className="stack amendment-editor"
      aria-label="Proposed charter"
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        const base = method === content.method ? content.params : defaultParams(method)
        const problem = onSave({
          ...content,
          openers,
          openerList: openers === 'listed' ? openerList : [],
          method,
          params: { ...base, pass: passFromDraft(method, pass) },
          quorumPct: quorum,
          chambers: chambersFromDrafts(chamberDrafts),
          graceMinutes: grace,
          reasons,
          results,
          conduct: parseConduct(conduct),
        })
        setError(problem)
        setSaved(problem === null)
      }}
    >
      <h3>Proposed charter</h3>
      <fieldset disabled={readOnly} className="stack">
        <OpenersField
          openers={openers}
          list={openerList}
          members={members}
          onChange={(nextOpeners, nextList) => {
            setOpeners(nextOpeners)
            setOpenerList(nextList)
          }}
        />
        <label>
          Default method{' '}
          <select
            value={method}
            onChange={(e) => {
              const next = e.target.value as PollMethod
              setMethod(next)
              setPass(passDraftOf(next === content.method ? content.params.pass : defaultParams(next).pass))
            }}
          >
            {POLL_METHODS.map((m) => (
              <option key={m} value={m}>
                {METHOD_LABELS[m]}
              </option>
            ))}
          </select>
        </label>
        <PassTestField method={method} draft={pass} onChange={setPass} />
        <label>
          Quorum (%) <input type="number" min={0} max={100} value={quorum} onChange={(e) => setQuorum(Number(e.target.value))} />
        </label>
        <ChamberThresholdsField drafts={chamberDrafts} chambers={chambers} onChange={setChamberDrafts} />
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
      {saved && (
        <p role="status" className="muted">
          Saved. A poll opened from now on puts these rules to the vote.
        </p>
      )}
    </form>
  )
}
