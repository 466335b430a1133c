import type * as Y from 'yjs'
import { requireCharterContent, type CharterContent } from '../model/charter'
import { invalidInput, PeerboardError } from '../model/errors'
import { isMemberId, isPollId, type MemberId, type PollId, type ProposalId } from '../model/ids'
import type { NewProposalInput } from '../model/proposal'
import { requireTimestamp } from '../model/text'
import { readDecisions, readDeviceOwners } from '../read/decisions'
import { readProposal } from '../read/proposals'
import type { CanonicalValue } from '../rules/canonical'
import { charterHash, signRecord, type CharterRecordBody } from '../rules/decisionRecords'
import { SIGNATURE_DOMAINS, type Signer } from '../rules/signatures'
import { toBase64url } from '../rules/base64url'
import { LOCAL_ORIGIN } from '../schema/origins'
import { yCharterAmendmentsOf, yCharterOf } from '../schema/roots'
import { recordId } from '../rules/decisionRecords'
import { addProposal } from './proposals'

/**
 * Charter writes (SPEC [H1]-[H5]). The charter changes only two ways: the board's creator writes
 * the first one, and a charter-amendment poll that passed under the revision in force is adopted.
 * There is no op that writes a charter revision any other way.
 */

/** The signer's device must belong to `member` through a verified member record. */
export const requireSignerOf = (doc: Y.Doc, signer: Signer, member: unknown, field: string): MemberId => {
  if (!isMemberId(member)) throw invalidInput(field, 'That must be a member id.')
  const owner = readDeviceOwners(doc).get(toBase64url(signer.publicKey))
  if (owner === undefined) {
    throw new PeerboardError('forbidden', 'This device is not a member’s device on this board (yet).', field)
  }
  if (owner !== member) throw new PeerboardError('forbidden', 'This device signs for another member.', field)
  return member
}

const writeRecord = (doc: Y.Doc, signer: Signer, body: CharterRecordBody): string => {
  const envelope = signRecord(signer, SIGNATURE_DOMAINS.charter, body as unknown as CanonicalValue)
  const id = recordId(envelope.body)
  doc.transact(() => {
    yCharterOf(doc).set(id, envelope)
  }, LOCAL_ORIGIN)
  return id
}

/**
 * The board creator's first charter, revision 0, "not yet ratified" (SPEC [H1]). Refused when the
 * board already has a charter, or names another creator.
 */
export const writeFirstCharter = (
  doc: Y.Doc,
  signer: Signer,
  input: { readonly by: MemberId; readonly content: CharterContent; readonly adoptedAt: number },
): string => {
  const by = requireSignerOf(doc, signer, input.by, 'by')
  const content = requireCharterContent(input.content)
  const adoptedAt = requireTimestamp('adoptedAt', input.adoptedAt)
  const snapshot = readDecisions(doc, adoptedAt)
  if (snapshot.creator !== null && snapshot.creator !== by) {
    throw new PeerboardError('forbidden', 'Only the board’s creator writes its first charter.', 'by')
  }
  if (snapshot.charter.inForce !== null) {
    throw new PeerboardError('forbidden', 'This board has a charter: it changes only through an amendment that passes.', 'charter')
  }
  return writeRecord(doc, signer, {
    v: 1,
    revision: 0,
    content,
    contentHash: charterHash(content),
    prev: null,
    poll: null,
    by,
    adoptedAt,
  })
}

/**
 * Starts a charter amendment: a proposal of kind charter-amendment putting forward `content` (for
 * ratification: the charter in force, unchanged), in one transaction (SPEC [H3]).
 */
export const proposeCharterAmendment = (
  doc: Y.Doc,
  input: NewProposalInput & { readonly content: CharterContent },
): ProposalId => {
  const content = requireCharterContent(input.content)
  let id: ProposalId | null = null
  doc.transact(() => {
    id = addProposal(doc, input)
    yCharterAmendmentsOf(doc).set(id, content as unknown as CanonicalValue)
  }, LOCAL_ORIGIN)
  return id as unknown as ProposalId
}

/**
 * Replaces the content a charter-amendment proposal puts forward. A poll already open keeps the
 * content it froze; the change shows as "changed since the poll opened" (SPEC [C3]).
 */
export const editCharterAmendment = (doc: Y.Doc, proposal: ProposalId, content: CharterContent): void => {
  if (readProposal(doc, proposal) === null) throw new PeerboardError('not-found', 'That proposal does not exist.', 'proposal')
  const yAmendments = yCharterAmendmentsOf(doc)
  if (!yAmendments.has(proposal)) throw invalidInput('proposal', 'That proposal is not a charter amendment.')
  const checked = requireCharterContent(content)
  const current = readDecisions(doc, 0).amendments.get(proposal)
  if (current !== undefined && charterHash(current) === charterHash(checked)) return
  doc.transact(() => {
    yAmendments.set(proposal, checked as unknown as CanonicalValue)
  }, LOCAL_ORIGIN)
}

/**
 * Adopts the charter an amendment poll carried, as the next revision (SPEC [H2]): refused unless
 * the poll ran under the revision in force, carried a charter, and its outcome is final and passed.
 * Adopting what is already adopted writes nothing and returns null.
 */
export const adoptCharterAmendment = (
  doc: Y.Doc,
  signer: Signer,
  input: { readonly poll: PollId; readonly by: MemberId; readonly adoptedAt: number },
): string | null => {
  const by = requireSignerOf(doc, signer, input.by, 'by')
  const adoptedAt = requireTimestamp('adoptedAt', input.adoptedAt)
  if (!isPollId(input.poll)) throw invalidInput('poll', 'That must be a poll id.')
  const snapshot = readDecisions(doc, adoptedAt)
  if (snapshot.charter.revisions.some((r) => r.poll === input.poll)) return null
  const poll = snapshot.polls.find((p) => p.id === input.poll)
  if (poll === undefined) throw new PeerboardError('not-found', 'That poll is not on this board.', 'poll')
  const inForce = snapshot.charter.inForce
  if (poll.def.amendment === null) throw invalidInput('poll', 'That poll is not on a charter amendment.')
  if (inForce === null || poll.def.charter.revision !== inForce.revision) {
    throw new PeerboardError('forbidden', 'That poll ran under a charter that is no longer in force; propose the amendment again.', 'poll')
  }
  if (poll.tally.status !== 'final' || !poll.tally.passed) {
    throw new PeerboardError('forbidden', 'The amendment has not passed (or its outcome is not final yet).', 'poll')
  }
  return writeRecord(doc, signer, {
    v: 1,
    revision: inForce.revision + 1,
    content: poll.def.amendment,
    contentHash: charterHash(poll.def.amendment),
    prev: inForce.contentHash,
    poll: input.poll,
    by,
    adoptedAt,
  })
}
