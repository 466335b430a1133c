import type { MemberId, PollView } from '../../../shared/src'
import { ChamberResults } from './ChamberResults'
import { choiceText, POSITION_LABELS, RESULT_LABELS, STANCE_STATUS_LABELS, STATUS_LABELS } from './labels'

/** A poll's tally: status, result, quorum, counts or scores, chambers, and every stance (SPEC [C2]-[C11]). */
export const TallyView = ({
  poll,
  hidden,
  nameOf,
}: {
  poll: PollView
  hidden: string | null
  nameOf: (member: MemberId) => string
}) => {
  const { tally, def } = poll
  return (
    <div className="tally" data-testid="tally">
      <p className="row">
        <span className={`chip poll-status-${tally.status}`} data-testid="poll-status">
          {STATUS_LABELS[tally.status]}
        </span>
        {hidden === null && tally.status !== 'open' && <strong data-testid="poll-result">{RESULT_LABELS[tally.result]}</strong>}
        <span className="muted">
          {tally.cast} of {tally.electorate} took a stance; quorum {tally.needed} ({def.quorumPct}% of{' '}
          {tally.electorate}) {tally.quorumMet ? 'met' : tally.status === 'open' ? 'not met yet' : 'not met'}
        </span>
      </p>
      {tally.status !== 'open' && tally.pending.length > 0 && (
        <p className="muted" data-testid="pending-electors">
          Provisional until these electors have synced: {tally.pending.map(nameOf).join(', ')}
        </p>
      )}
      {hidden !== null ? (
        <p className="muted" data-testid="tally-hidden">
          {hidden}
        </p>
      ) : (
        <>
          {Object.keys(tally.counts).length > 0 && (
            <ul className="row tally-counts" data-testid="tally-counts">
              {Object.entries(tally.counts).map(([position, n]) => (
                <li key={position}>
                  {POSITION_LABELS[position] ?? position}: {n}
                </li>
              ))}
            </ul>
          )}
          {tally.options.length > 0 && (
            <ol className="tally-options">
              {tally.ranking.map((i) => (
                <li key={i}>
                  {tally.options[i]?.label}: {tally.options[i]?.score}
                  {tally.options[i]?.passes === false ? ' (below the pass test)' : ''}
                </li>
              ))}
            </ol>
          )}
          <ChamberResults tally={tally} />
          {!tally.safeguardMet && tally.status !== 'open' && def.method !== 'advice' && (
            <p className="muted">The opener’s own approval cannot carry a poll alone.</p>
          )}
          <ul className="stances">
            {tally.stances.map((s) => (
              <li key={s.id} className={s.status === 'counted' ? undefined : 'muted'}>
                {nameOf(s.member)}: {choiceText(s.choice, def.options, def.method)}
                {s.reason !== '' ? ` — “${s.reason}”` : ''}
                {s.status !== 'counted' ? ` (${STANCE_STATUS_LABELS[s.status]}${s.why === null ? '' : `: ${s.why}`})` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  )
}
