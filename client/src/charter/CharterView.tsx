import type { CharterContent, MemberId } from '../../../shared/src'
import { METHOD_LABELS } from '../decisions/labels'

/** A charter's rules, read-only, rules of conduct rendered from their blocks (SPEC [H1]). */
export const CharterView = ({ content, nameOf }: { content: CharterContent; nameOf: (member: MemberId) => string }) => (
  <div className="charter-view">
    <dl>
      <dt>Who may open polls</dt>
      <dd>{content.openers === 'any-member' ? 'Every member' : content.openerList.map(nameOf).join(', ')}</dd>
      <dt>Default method</dt>
      <dd>
        {METHOD_LABELS[content.method]}
        {content.params.pass !== null ? ` (passes ${content.params.pass.cmp} ${content.params.pass.bp / 100}% of the ${content.params.pass.of})` : ''}
      </dd>
      <dt>Quorum</dt>
      <dd>{content.quorumPct}% of the electorate</dd>
      <dt>Chambers</dt>
      <dd>{content.chambers.length === 0 ? 'None' : content.chambers.map((c) => `${c.bp / 100}%`).join(', ')}</dd>
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
