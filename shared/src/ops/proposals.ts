import * as Y from 'yjs'
import { invalidInput, PeerboardError } from '../model/errors'
import { isOrderKey, keysBetween, ORDER_KEY_MAX } from '../model/fractionalIndex'
import { isMemberId, newProposalId, type ProposalId } from '../model/ids'
import { LIMITS } from '../model/limits'
import { isProposalStatus, type NewProposalInput, type ProposalStatus } from '../model/proposal'
import { requireLine, requireTimestamp } from '../model/text'
import { readProposals } from '../read/proposals'
import { PROPOSAL } from '../schema/keys'
import { LOCAL_ORIGIN } from '../schema/origins'
import { yProposalsOf } from '../schema/roots'

/** Randomness for order keys; tests pass a seeded one. */
export interface OpOptions {
  readonly random?: () => number
}

const requireProposal = (doc: Y.Doc, id: ProposalId): Y.Map<unknown> => {
  const yProposal = yProposalsOf(doc).get(id)
  if (!(yProposal instanceof Y.Map)) {
    throw new PeerboardError('not-found', 'That proposal does not exist on this board.', 'id')
  }
  return yProposal
}

/**
 * Writes new order keys: `keys[i]` for `ids[i]`. If any key would be longer than ORDER_KEY_MAX (a
 * gap split over and over), every proposal is re-keyed instead, in `finalOrder`, with short, evenly
 * spaced keys (SPEC [K3]).
 */
const writeOrder = (
  doc: Y.Doc,
  ids: readonly ProposalId[],
  keys: readonly string[],
  finalOrder: () => readonly ProposalId[],
  random: () => number,
): void => {
  const yProposals = yProposalsOf(doc)
  if (keys.every((key) => key.length <= ORDER_KEY_MAX)) {
    ids.forEach((id, i) => yProposals.get(id)?.set(PROPOSAL.order, keys[i]))
    return
  }
  const order = finalOrder()
  const fresh = keysBetween(null, null, order.length, random)
  order.forEach((id, i) => yProposals.get(id)?.set(PROPOSAL.order, fresh[i]))
}

/** Adds a draft proposal at the end of the list and returns its id (SPEC [P1]). */
export const addProposal = (
  doc: Y.Doc,
  input: NewProposalInput,
  options: OpOptions = {},
): ProposalId => {
  const title = requireLine('title', 'Title', input.title, LIMITS.proposalTitleMax)
  const authorName = requireLine('authorName', 'Author name', input.authorName, LIMITS.memberNameMax)
  const createdAt = requireTimestamp('createdAt', input.createdAt)
  if (!isMemberId(input.author)) throw invalidInput('author', 'Author must be a member id.')
  const random = options.random ?? Math.random
  const existing = readProposals(doc)
  const last = existing.findLast((p) => isOrderKey(p.order))
  const keys = keysBetween(last?.order ?? null, null, 1, random)
  const id = newProposalId()
  doc.transact(() => {
    const yProposal = new Y.Map<unknown>()
    yProposal.set(PROPOSAL.id, id)
    yProposal.set(PROPOSAL.title, title)
    yProposal.set(PROPOSAL.status, 'draft')
    yProposal.set(PROPOSAL.author, input.author)
    yProposal.set(PROPOSAL.authorName, authorName)
    yProposal.set(PROPOSAL.createdAt, createdAt)
    yProposalsOf(doc).set(id, yProposal)
    writeOrder(doc, [id], keys, () => [...existing.map((p) => p.id), id], random)
  }, LOCAL_ORIGIN)
  return id
}

export const renameProposal = (doc: Y.Doc, id: ProposalId, newTitle: string): void => {
  const title = requireLine('title', 'Title', newTitle, LIMITS.proposalTitleMax)
  const yProposal = requireProposal(doc, id)
  if (yProposal.get(PROPOSAL.title) === title) return
  doc.transact(() => yProposal.set(PROPOSAL.title, title), LOCAL_ORIGIN)
}

export const setProposalStatus = (doc: Y.Doc, id: ProposalId, status: ProposalStatus): void => {
  if (!isProposalStatus(status)) {
    throw invalidInput('status', 'Status must be one of draft, open, decided or withdrawn.')
  }
  const yProposal = requireProposal(doc, id)
  if (yProposal.get(PROPOSAL.status) === status) return
  doc.transact(() => yProposal.set(PROPOSAL.status, status), LOCAL_ORIGIN)
}

/**
 * Moves a proposal so that it ends up at `toIndex` in board order (SPEC [P4]). Only the moved
 * proposal's key is rewritten, unless its new neighbours share a key (two devices placed them in
 * one gap at once) or carry a malformed one: those are re-keyed in the same transaction so that
 * the move lands exactly where asked.
 */
export const moveProposal = (
  doc: Y.Doc,
  id: ProposalId,
  toIndex: number,
  options: OpOptions = {},
): void => {
  requireProposal(doc, id)
  const all = readProposals(doc)
  const from = all.findIndex((p) => p.id === id)
  if (!Number.isSafeInteger(toIndex) || toIndex < 0 || toIndex >= all.length) {
    throw invalidInput('toIndex', `Position must be between 0 and ${all.length - 1}.`)
  }
  if (from === toIndex) return
  const others = all.filter((p) => p.id !== id)
  // The nearest neighbour above the gap with a valid key bounds us from below; malformed keys
  // between it and the gap (they sort last) are re-keyed in place, before the moved proposal.
  let lowIndex = toIndex - 1
  while (lowIndex >= 0 && !isOrderKey(others[lowIndex]?.order)) lowIndex--
  const low = lowIndex >= 0 ? (others[lowIndex]?.order ?? null) : null
  const rekeyed: ProposalId[] = others.slice(lowIndex + 1, toIndex).map((p) => p.id)
  rekeyed.push(id)
  // Neighbours below the gap that do not sort strictly above `low` move along with us.
  let next = toIndex
  for (; next < others.length; next++) {
    const candidate = others[next] as (typeof others)[number]
    if (isOrderKey(candidate.order) && (low === null || candidate.order > low)) break
    rekeyed.push(candidate.id)
  }
  const high = others[next]?.order ?? null
  const random = options.random ?? Math.random
  const keys = keysBetween(low, high, rekeyed.length, random)
  const finalOrder = (): ProposalId[] => {
    const ids = others.map((p) => p.id)
    ids.splice(toIndex, 0, id)
    return ids
  }
  doc.transact(() => writeOrder(doc, rekeyed, keys, finalOrder, random), LOCAL_ORIGIN)
}
