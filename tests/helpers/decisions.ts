import type * as Y from 'yjs'
import {
  addProposal,
  attachTrustStore,
  createBoard,
  EntryGraph,
  foundBoard,
  publishEntries,
  DEFAULT_CHARTER,
  memberIdForKey,
  publishMember,
  secretKeySigner,
  writeFirstCharter,
  type BoardId,
  type CharterContent,
  type MemberId,
  type ProposalId,
  type Signer,
} from '../../shared/src'
import { newReplica } from './boards'
import { admit } from './trust'

/** A member of a test board: one device key (32 bytes of `n`), its member id and a name. */
export interface TestMember {
  readonly signer: Signer
  readonly id: MemberId
  readonly name: string
}

export const testMember = (n: number, name: string): TestMember => {
  const signer = secretKeySigner(new Uint8Array(32).fill(n))
  return { signer, id: memberIdForKey(signer.publicKey), name }
}

export const ANN = testMember(11, 'Ann')
export const BEN = testMember(12, 'Ben')
export const CAT = testMember(13, 'Cat')
export const DAN = testMember(14, 'Dan')
export const EVE = testMember(15, 'Eve')

export const publishTestMember = (doc: Y.Doc, m: TestMember): void =>
  publishMember(doc, m.signer, { founderKey: m.signer.publicKey, name: m.name, color: '#336699', devices: [], updatedAt: 1 })

export const T0 = 1_800_000_000_000
export const HOUR = 3_600_000

/**
 * A board created by `members[0]` with every member's record published, the creator's first
 * charter (`charter`, default DEFAULT_CHARTER) and one proposal "Buy a shared mower".
 */
export const decisionBoard = (
  members: readonly TestMember[],
  charter: CharterContent | ((doc: Y.Doc) => CharterContent) = DEFAULT_CHARTER,
  clientID?: number,
): { readonly doc: Y.Doc; readonly proposal: ProposalId } => {
  const doc = newReplica(clientID)
  const creator = members[0]
  if (creator === undefined) throw new Error('a board needs a creator')
  createBoard(doc, { name: 'Allotment', createdAt: T0, creator: creator.id })
  for (const m of members) publishTestMember(doc, m)
  const content = typeof charter === 'function' ? charter(doc) : charter
  writeFirstCharter(doc, creator.signer, { by: creator.id, content, adoptedAt: T0 })
  const proposal = addProposal(
    doc,
    { title: 'Buy a shared mower', author: creator.id, authorName: creator.name, createdAt: T0 },
    { random: () => 0.5 },
  )
  return { doc, proposal }
}

/**
 * The same board, founded with a genesis by `members[0]` (charter revision 0 in the genesis), every
 * other member admitted by the founder's invitation (SPEC [J1]-[J4]); the doc carries the entries
 * and has the founder's verified store attached. No member records, no charter record.
 */
export const foundedDecisionBoard = (
  members: readonly TestMember[],
  charter: CharterContent = DEFAULT_CHARTER,
): { readonly doc: Y.Doc; readonly proposal: ProposalId; readonly graph: EntryGraph; readonly board: BoardId } => {
  const founder = members[0]
  if (founder === undefined) throw new Error('a board needs a founder')
  const board = 'FoundedBoardFoundedBoA' as BoardId
  const genesis = foundBoard(
    founder.signer,
    board,
    { name: 'Allotment', founder: { name: founder.name, color: '#336699' }, charter, admit: 'any-member', nonce: 'AAAAAAAAAAAAAAAAAAAAAA' },
    T0,
  )
  const graph = new EntryGraph(board)
  graph.addVerified(genesis)
  graph.pinGenesis(genesis.hash)
  for (const m of members.slice(1)) admit(graph, founder.signer, m.signer, m.name)
  const doc = newReplica()
  createBoard(doc, { name: 'Allotment', createdAt: T0 })
  publishEntries(doc, graph.ordered())
  attachTrustStore(doc, graph)
  const proposal = addProposal(
    doc,
    { title: 'Buy a shared mower', author: founder.id, authorName: founder.name, createdAt: T0 },
    { random: () => 0.5 },
  )
  return { doc, proposal, graph, board }
}
