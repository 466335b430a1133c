import type { PollMethod } from '../../../shared/src'
import { METHOD_LABELS } from '../decisions/labels'
import { takesPassTest, type PassDraft } from './charterDraft'

/** The default method's pass test (SPEC [C7]); advice, consent and majority take none. */
export const PassTestField = ({
  method,
  draft,
  onChange,
}: {
  method: PollMethod
  draft: PassDraft
  onChange: (draft: PassDraft) => void
}) => {
  if (!takesPassTest(method)) {
    return <p className="muted">{METHOD_LABELS[method]} has its own rule and takes no pass test.</p>
  }
  return (
    <fieldset className="row charter-checks">
      <legend>Default pass test</legend>
      <label>
        Passes when approval is{' '}
        <select value={draft.cmp} onChange={(e) => onChange({ ...draft, cmp: e.target.value as PassDraft['cmp'] })}>
          <option value="">(no pass test)</option>
          <option value=">=">at least</option>
          <option value="<=">at most</option>
        </select>
      </label>
      {draft.cmp !== '' && (
        <>
          <label>
            Pass share (%){' '}
            <input type="number" min={0} max={100} step="any" value={draft.percent} onChange={(e) => onChange({ ...draft, percent: e.target.value })} />
          </label>
          <label>
            of{' '}
            <select value={draft.of} onChange={(e) => onChange({ ...draft, of: e.target.value as PassDraft['of'] })}>
              <option value="score">the stances for and against (or the points given)</option>
              <option value="electorate">the whole electorate</option>
            </select>
          </label>
        </>
      )}
    </fieldset>
  )
}
