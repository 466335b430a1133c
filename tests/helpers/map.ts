import type * as Y from 'yjs'
import { addActor, addChamber, type ActorId, type ChamberId, type ProposalId } from '../../shared/src'
import { boardWith, must } from './boards'

/** A board with one proposal, two chambers and three actors, none linked or placed yet. */
export interface MapFixture {
  readonly doc: Y.Doc
  readonly proposal: ProposalId
  readonly workers: ChamberId
  readonly neighbours: ChamberId
  /** A non-human interest. */
  readonly river: ActorId
  /** An organisation. */
  readonly council: ActorId
  /** A group. */
  readonly growers: ActorId
}

export const boardWithMap = (): MapFixture => {
  const { doc, ids } = boardWith(['Compost'])
  const workers = addChamber(doc, { name: 'Workers' })
  const neighbours = addChamber(doc, { name: 'Neighbours', description: 'People living next to the garden' })
  const river = addActor(doc, { name: 'The river', kind: 'non-human', interests: ['Clean water'] })
  const council = addActor(doc, { name: 'Town council', kind: 'organisation' })
  const growers = addActor(doc, { name: 'Growers', kind: 'group', chambers: [workers] })
  return { doc, proposal: must(ids[0]), workers, neighbours, river, council, growers }
}
