import type { PollTally } from '../../../shared/src'
import { chamberResultText, failedChambersText } from './chamberWords'

/** Per chamber: who took a stance, approving of for-or-against, the threshold, passes or not (SPEC [C11]). */
export const ChamberResults = ({ tally }: { tally: PollTally }) => {
  if (tally.chambers.length === 0) return null
  const failed = failedChambersText(tally)
  return (
    <div className="chamber-results" data-testid="chamber-results">
      {failed !== null && (
        <p data-testid="chambers-failed">
          <strong>{failed}</strong>
        </p>
      )}
      <ul>
        {[...tally.chambers]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((c) => (
            <li key={c.chamber} data-testid="chamber-result" className={c.passed ? undefined : 'muted'}>
              {chamberResultText(c)}
            </li>
          ))}
      </ul>
    </div>
  )
}
