import * as Y from 'yjs'
import { isOrderKey } from '../model/fractionalIndex'
import { isMemberId, isProposalId, type ProposalId } from '../model/ids'
import { isProposalStatus, type Proposal } from '../model/proposal'
import { PROPOSAL } from '../schema/keys'
import { yProposalsOf } from '../schema/roots'

/** Sorts after every valid order key ('~' is above every base-62 digit). */
const UNORDERED = '~'

/**
 * One proposal as a plain frozen value, or null when the entry is not a proposal at all (a
 * malformed entry from a faulty peer is skipped rather than crashing every reader).
 */
export const readProposalEntry = (id: string, yProposal: unknown): Proposal | null => {
  // Only a Y.Map is a proposal: a Y.Array or a subdoc also has a `get` method, but is not one.
  if (!isProposalId(id) || !(yProposal instanceof Y.Map)) return null
  const y: Y.Map<unknown> = yProposal
  const title = y.get(PROPOSAL.title)
  const status = y.get(PROPOSAL.status)
  const author = y.get(PROPOSAL.author)
  const authorName = y.get(PROPOSAL.authorName)
  const createdAt = y.get(PROPOSAL.createdAt)
  const order = y.get(PROPOSAL.order)
  return Object.freeze({
    id,
    title: typeof title === 'string' ? title : '',
    status: isProposalStatus(status) ? status : 'draft',
    author: isMemberId(author) ? author : null,
    authorName: typeof authorName === 'string' ? authorName : '',
    createdAt: typeof createdAt === 'number' && Number.isFinite(createdAt) ? createdAt : 0,
    order: isOrderKey(order) ? order : UNORDERED,
  })
}

/** Proposal order (SPEC [P3]): by order key, then by id, the same on every device. */
export const compareProposals = (a: Proposal, b: Proposal): number =>
  a.order < b.order ? -1 : a.order > b.order ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0

/** Every proposal, in board order. */
export const readProposals = (doc: Y.Doc): readonly Proposal[] => {
  const out: Proposal[] = []
  yProposalsOf(doc).forEach((yProposal, id) => {
    const proposal = readProposalEntry(id, yProposal)
    if (proposal !== null) out.push(proposal)
  })
  out.sort(compareProposals)
  return Object.freeze(out)
}

export const readProposal = (doc: Y.Doc, id: ProposalId): Proposal | null =>
  readProposalEntry(id, yProposalsOf(doc).get(id))
