import type * as Y from 'yjs'
import {
  PeerboardError,
  proposalPolls,
  proposeCharterAmendment,
  type ChamberId,
  type DecisionsSnapshot,
  type MemberId,
  type ProposalId,
} from '../../../shared/src'
import type { DeviceIdentity } from '../identity/deviceIdentity'
import { RESULT_LABELS, STATUS_LABELS } from '../decisions/labels'
import { ChamberResults } from '../decisions/ChamberResults'
import { CharterView } from './CharterView'
import { useState } from 'react'

/**
 * The charter page (SPEC [H1]-[H5]): the revision in force ("not yet ratified" while it is the
 * creator's), every earlier revision, amendments in progress, records that were flagged, and
 * "propose an amendment", prefilled with the charter in force.
 */
export const CharterPage = ({
  doc,
  snapshot,
  identity,
  authorName,
  readOnly,
  titleOf,
  nameOf,
  chamberName,
  onOpenProposal,
}: {
  doc: Y.Doc
  snapshot: DecisionsSnapshot
  identity: DeviceIdentity
  authorName: string
  readOnly: boolean
  titleOf: (proposal: ProposalId) => string
  nameOf: (member: MemberId) => string
  chamberName: (chamber: ChamberId) => string
  onOpenProposal: (proposal: ProposalId) => void
}) => {
  const [error, setError] = useState<string | null>(null)
  const { charter } = snapshot
  const inForce = charter.inForce
  const propose = (title: string): void => {
    if (inForce === null) return
    try {
      onOpenProposal(
        proposeCharterAmendment(doc, { title, author: identity.memberId, authorName, createdAt: Date.now(), content: inForce.content }),
      )
    } catch (e) {
      if (e instanceof PeerboardError) setError(e.message)
      else throw e
    }
  }
  return (
    <section className="main-pane charter-page" aria-label="Charter" data-testid="charter-page">
      <h2 className="row">
        Charter
        {inForce !== null && (
          <span className={`chip ${charter.ratified ? 'status-decided' : 'status-withdrawn'}`} data-testid="charter-badge">
            {charter.ratified ? `Revision ${inForce.revision}` : 'Not yet ratified'}
          </span>
        )}
      </h2>
      {inForce === null ? (
        <p className="muted">This board has no charter yet. The board’s creator writes the first one; the board then ratifies or amends it.</p>
      ) : (
        <>
          <p className="muted">
            In force: revision {inForce.revision}, {inForce.poll === null ? `written by ${nameOf(inForce.by)}` : `adopted through a poll`} on{' '}
            {new Date(inForce.adoptedAt).toLocaleString()}.
          </p>
          <CharterView content={inForce.content} nameOf={nameOf} chamberName={chamberName} />
          {!readOnly && (
            <p className="row">
              <button type="button" onClick={() => propose('Amend the charter')}>
                Propose an amendment
              </button>
              {!charter.ratified && (
                <button type="button" onClick={() => propose('Ratify the charter')}>
                  Propose ratification
                </button>
              )}
            </p>
          )}
          {error !== null && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
        </>
      )}
      <h3>Amendments</h3>
      {snapshot.amendments.size === 0 ? (
        <p className="muted">No amendment proposed.</p>
      ) : (
        <ul data-testid="amendments">
          {[...snapshot.amendments.keys()].map((id) => {
            const { current } = proposalPolls(snapshot, id)
            const adopted = current !== null && charter.revisions.some((r) => r.poll === current.id)
            return (
              <li key={id}>
                <a
                  href="#"
                  onClick={(e) => {
                    e.preventDefault()
                    onOpenProposal(id)
                  }}
                >
                  {titleOf(id)}
                </a>{' '}
                —{' '}
                {adopted
                  ? 'adopted'
                  : current === null
                    ? 'no poll yet'
                    : `${STATUS_LABELS[current.tally.status]}${current.tally.status === 'open' ? '' : `: ${RESULT_LABELS[current.tally.result]}`}`}
                {current !== null && !adopted && current.tally.status !== 'open' && <ChamberResults tally={current.tally} />}
              </li>
            )
          })}
        </ul>
      )}
      <h3>Revision history</h3>
      <ol className="charter-history" start={0}>
        {charter.revisions.map((r) => (
          <li key={r.record}>
            <details>
              <summary>
                Revision {r.revision} — {r.poll === null ? `first charter by ${nameOf(r.by)}` : 'adopted by amendment'},{' '}
                {new Date(r.adoptedAt).toLocaleString()}
              </summary>
              <CharterView content={r.content} nameOf={nameOf} chamberName={chamberName} />
            </details>
          </li>
        ))}
      </ol>
      {charter.flagged.length > 0 && (
        <>
          <h3>Ignored charter records</h3>
          <ul data-testid="charter-flagged">
            {charter.flagged.map((f) => (
              <li key={f.record} className="muted">
                {f.revision === null ? 'A record' : `A “revision ${f.revision}”`} was ignored: {f.reason}.
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}
