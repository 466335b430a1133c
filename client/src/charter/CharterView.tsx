import type { ChamberId, CharterContent, MemberId } from '../../../shared/src'
import { percentText } from '../decisions/chamberWords'
import { METHOD_LABELS } from '../decisions/labels'

/** A charter's rules, read-only, rules of conduct rendered from their blocks (SPEC [H1]). */
export const CharterView = ({
  content,
  nameOf,
  chamberName,
}: {
  content: CharterContent
  nameOf: (member: MemberId) => string
  chamberName: (chamber: ChamberId) => string
}) => (
  <div className="charter-view">
    <dl>
      <dt>Who may open polls</dt>
      <dd>{content.openers === 'any-member' ? 'Every member' : content.openerList.map(nameOf).join(', ')}</dd>
      <dt>Default method</dt>
      <dd>
        {METHOD_LABELS[content.method]}
        {content.params.pass !== null
          ? ` — passes when approval is ${content.params.pass.cmp === '>=' ? 'at least' : 'at most'} ${percentText(content.params.pass.bp)} of ${content.params.pass.of === 'score' ? 'the stances for and against' : 'the whole electorate'}`
          : ''}
      </dd>
      <dt>Quorum</dt>
      <dd>{content.quorumPct}% of the electorate</dd>
      <dt>Chamber thresholds</dt>
      <dd>
        {content.chambers.length === 0 ? (
          'None'
        ) : (
          <ul data-testid="charter-chambers">
            {[...content.chambers]
              .sort((a, b) => chamberName(a.chamber).localeCompare(chamberName(b.chamber)))
              .map((c) => (
                <li key={c.chamber}>
                  {chamberName(c.chamber)}: at least {percentText(c.bp)} of the chamber’s stances for and against
                </li>
              ))}
          </ul>
        )}
      </dd>
      <dt>Closing grace</dt>
      <dd>A poll stays open at least {content.graceMinutes} minutes</dd>
      <dt>Reasons</dt>
      <dd>{content.reasons.replace(/-/g, ' ')}</dd>
      <dt>Results</dt>
      <dd>{content.results.replace(/-/g, ' ')}</dd>
    </dl>
    <h3>Rules of conduct</h3>
    {content.conduct.map((block, i) =>
      'items' in block ? (
        block.kind === 'numbered' ? (
          <ol key={i}>
            {block.items.map((item, j) => (
              <li key={j}>{item}</li>
            ))}
          </ol>
        ) : (
          <ul key={i}>
            {block.items.map((item, j) => (
              <li key={j}>{item}</li>
            ))}
          </ul>
        )
      ) : block.kind === 'heading' ? (
        <h4 key={i}>{block.text}</h4>
      ) : (
        <p key={i}>{block.text}</p>
      ),
    )}
  </div>
)
