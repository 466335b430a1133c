import { useState } from 'react'
import {
  linkProposalToActor,
  linkProposalToChamber,
  unlinkProposalFromActor,
  unlinkProposalFromChamber,
  type ProposalId,
} from '../../../shared/src'
import type * as Y from 'yjs'
import { attempt } from '../app/attempt'
import { useMapSnapshot } from './useMapSnapshot'

interface Props {
  readonly doc: Y.Doc
  readonly proposalId: ProposalId
  readonly readOnly: boolean
  /** Where the map is, for the hint shown while it is empty. */
  readonly mapHref: string
  readonly onOpenMap: () => void
}

/** "Who is affected?": the map's actors and chambers as checkboxes that link this proposal to them (SPEC [M7]). */
export const AffectedPicker = ({ doc, proposalId, readOnly, mapHref, onOpenMap }: Props) => {
  const snapshot = useMapSnapshot(doc)
  const [error, setError] = useState<string | null>(null)
  if (snapshot === null) return null
  const entry = snapshot.affected.find((a) => a.proposal === proposalId)
  const linkedActors = entry?.actors ?? []
  const linkedChambers = entry?.chambers ?? []
  // Archived ones show only while linked: they take no new links ([M5]).
  const actors = snapshot.actors.filter((a) => !a.archived || linkedActors.includes(a.id))
  const chambers = snapshot.chambers.filter((c) => !c.archived || linkedChambers.includes(c.id))
  const count = linkedActors.length + linkedChambers.length

  return (
    <details className="affected" data-testid="affected-picker">
      <summary>
        Who is affected? <span className="muted">{count === 0 ? 'nobody yet' : `${count} linked`}</span>
      </summary>
      {actors.length + chambers.length === 0 ? (
        <p className="muted">
          The stakeholder map is empty.{' '}
          <a
            href={mapHref}
            onClick={(e) => {
              e.preventDefault()
              onOpenMap()
            }}
          >
            Add actors on the map
          </a>
          .
        </p>
      ) : (
        <div className="affected-groups">
          {actors.length > 0 && (
            <fieldset className="map-checks">
              <legend>Actors</legend>
              {actors.map((actor) => {
                const linked = linkedActors.includes(actor.id)
                return (
                  <label key={actor.id} className="row">
                    <input
                      type="checkbox"
                      checked={linked}
                      disabled={readOnly || (actor.archived && !linked)}
                      onChange={() =>
                        setError(
                          attempt(() =>
                            linked
                              ? unlinkProposalFromActor(doc, proposalId, actor.id)
                              : linkProposalToActor(doc, proposalId, actor.id),
                          ),
                        )
                      }
                    />
                    {actor.name}
                    {actor.archived && <span className="chip">archived</span>}
                  </label>
                )
              })}
            </fieldset>
          )}
          {chambers.length > 0 && (
            <fieldset className="map-checks">
              <legend>Chambers</legend>
              {chambers.map((chamber) => {
                const linked = linkedChambers.includes(chamber.id)
                return (
                  <label key={chamber.id} className="row">
                    <input
                      type="checkbox"
                      checked={linked}
                      disabled={readOnly || (chamber.archived && !linked)}
                      onChange={() =>
                        setError(
                          attempt(() =>
                            linked
                              ? unlinkProposalFromChamber(doc, proposalId, chamber.id)
                              : linkProposalToChamber(doc, proposalId, chamber.id),
                          ),
                        )
                      }
                    />
                    {chamber.name}
                    {chamber.archived && <span className="chip">archived</span>}
                  </label>
                )
              })}
            </fieldset>
          )}
        </div>
      )}
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </details>
  )
}
