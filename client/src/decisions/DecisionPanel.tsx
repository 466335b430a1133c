import type * as Y from 'yjs'
import {
  castStance,
  currentProposalRevision,
  openPoll,
  proposalPolls,
  setPollOutcome,
  type DecisionsSnapshot,
  type MemberId,
  type Proposal,
} from '../../../shared/src'
import { attempt } from '../app/attempt'
import type { DeviceIdentity } from '../identity/deviceIdentity'
import { METHOD_LABELS } from './labels'
import { OpenPollForm } from './OpenPollForm'
import { OutcomeForm } from './OutcomeForm'
import { StanceForm } from './StanceForm'
import { TallyView } from './TallyView'

/**
 * A proposal's decision: open a poll, take a stance, the live tally (or hidden, per the poll), the
 * provisional or final outcome, the outcome statement and review date, "changed since the poll
 * opened" and restart (SPEC [C1]-[C13]).
 */
export const DecisionPanel = ({
  doc,
  proposal,
  bodyText,
  snapshot,
  identity,
  readOnly,
  nameOf,
}: {
  doc: Y.Doc
  proposal: Proposal
  bodyText: string | null
  snapshot: DecisionsSnapshot
  identity: DeviceIdentity
  readOnly: boolean
  nameOf: (member: MemberId) => string
}) => {
  const charter = snapshot.charter.inForce
  const { polls, current } = proposalPolls(snapshot, proposal.id)
  const me = identity.memberId
  const amendment = snapshot.amendments.has(proposal.id)
  const revisionNow = bodyText === null ? null : currentProposalRevision(doc, proposal.id, bodyText)
  const changed = current !== null && revisionNow !== null && revisionNow !== current.def.revision
  const mayOpen =
    !readOnly && charter !== null && (charter.content.openers === 'any-member' || charter.content.openerList.includes(me))
  const open = (supersedes: typeof current) => (request: Parameters<Parameters<typeof OpenPollForm>[0]['onOpen']>[0]) => {
    if (bodyText === null) return 'The proposal text is still loading.'
    return attempt(() => {
      openPoll(doc, identity.signer, {
        proposal: proposal.id,
        opener: me,
        openedAt: Date.now(),
        body: bodyText,
        ...request,
        ...(supersedes === null ? {} : { supersedes: supersedes.id }),
      })
    })
  }
  const mine = current?.tally.stances.some((s) => s.member === me && s.status === 'counted') ?? false
  const hidden =
    current === null || current.tally.status !== 'open'
      ? null
      : current.def.results === 'until-close'
        ? 'Results are hidden until the poll closes.'
        : current.def.results === 'until-vote' && !mine
          ? 'Results show once you have taken a stance.'
          : null

  return (
    <section className="decision" aria-label="Decision" data-testid="decision-panel">
      <h2>Decision</h2>
      {charter === null && <p className="muted">This board has no charter yet: polls open once its creator’s charter is on the board.</p>}
      {current === null ? (
        mayOpen && charter !== null ? (
          <details>
            <summary>Open a poll</summary>
            <OpenPollForm charter={charter.content} amendment={amendment} submitLabel="Open poll" onOpen={open(null)} />
          </details>
        ) : (
          <p className="muted">No poll on this proposal yet.</p>
        )
      ) : (
        <div className="poll" data-testid="poll">
          <p>
            <strong>{METHOD_LABELS[current.def.method]}</strong> poll, closes {new Date(current.def.closesAt).toLocaleString()} · runs
            under charter revision {current.def.charter.revision}
          </p>
          {changed && (
            <p className="banner warning" data-testid="changed-since-poll">
              This proposal changed since the poll opened: the poll is about the text as it was. Restart it to vote on the new text.
            </p>
          )}
          <TallyView poll={current} hidden={hidden} nameOf={nameOf} />
          {!readOnly && current.tally.status === 'open' && current.def.electorate.includes(me) && (
            <StanceForm
              key={current.id}
              def={current.def}
              hasStance={mine}
              onCast={(choice, reason) =>
                attempt(() => {
                  castStance(doc, identity.signer, { poll: current.id, member: me, choice, reason, castAt: Date.now() })
                })
              }
            />
          )}
          {current.outcome !== null && (
            <div className="outcome" data-testid="outcome">
              <p>
                <strong>Outcome:</strong> {current.outcome.statement}
              </p>
              {current.outcome.reviewAt !== null && (
                <p className="row">
                  Review on {new Date(current.outcome.reviewAt).toLocaleString()}
                  {current.reviewDue && <span className="chip status-open">Review due</span>}
                  {current.reviewDue && <span className="muted">The review thread is in the discussion below.</span>}
                </p>
              )}
            </div>
          )}
          {!readOnly && current.tally.status !== 'open' && current.def.electorate.includes(me) && (
            <details>
              <summary>{current.outcome === null ? 'Write the outcome' : 'Edit the outcome'}</summary>
              <OutcomeForm
                initialStatement={current.outcome?.statement ?? ''}
                onSave={(statement, reviewAt) =>
                  attempt(() => setPollOutcome(doc, { poll: current.id, author: me, statement, reviewAt, writtenAt: Date.now() }))
                }
              />
            </details>
          )}
          {mayOpen && charter !== null && (
            <details>
              <summary>Restart the poll</summary>
              <p className="muted">A restart opens a new poll on the text as it is now; stances on this one become stale.</p>
              <OpenPollForm charter={charter.content} amendment={amendment} submitLabel="Restart poll" onOpen={open(current)} />
            </details>
          )}
        </div>
      )}
      {polls.length > 1 && (
        <details>
          <summary>Earlier polls ({polls.length - 1})</summary>
          {polls
            .filter((p) => p.id !== current?.id)
            .map((p) => (
              <TallyView key={p.id} poll={p} hidden={null} nameOf={nameOf} />
            ))}
        </details>
      )}
    </section>
  )
}
