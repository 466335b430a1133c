import type * as Y from 'yjs'
import { DEFAULT_CHARTER, type CharterContent } from '../model/charter'
import { invalidInput, PeerboardError } from '../model/errors'
import { randomId128, type BoardId, type MemberId } from '../model/ids'
import { LIMITS } from '../model/limits'
import { requireLine, requireTimestamp } from '../model/text'
import { LOCAL_ORIGIN } from '../schema/origins'
import { readMembership } from '../read/membership'
import { fromBase64url, toBase64url } from '../rules/base64url'
import { newSecretKey, secretKeySigner, type Signer } from '../rules/signatures'
import type { AdmitPolicy, InviteData, Profile } from '../trust/entryData'
import { publishEntries } from '../trust/entriesDoc'
import { EntryGraph, type GraphNode } from '../trust/EntryGraph'
import type { EntryHash } from '../trust/entryFormat'
import { signJoinProof } from '../trust/joinProof'
import { foundBoard, writeEntry } from '../trust/writeEntry'
import type { VerifiedEntry } from '../trust/verifyEnvelope'
import { createBoard } from './board'

/**
 * Founding a board, inviting people to it, and redeeming an invitation (SPEC [J1], [J4]). Each op
 * signs its entry into the device's verified store and publishes it in the doc; the caller keeps
 * the store (and what it returns) on the device.
 */

export interface FoundInput {
  readonly board: BoardId
  readonly name: string
  readonly founder: Profile
  readonly at: number
  readonly charter?: CharterContent
  readonly admit?: AdmitPolicy
}

/**
 * Founds a new board on a fresh doc: the founder device's genesis (charter revision 0, who may
 * admit), the board's metadata, and a verified store pinned to that genesis, attached to nothing
 * yet (the caller attaches it with `attachTrustStore`).
 */
export const foundNewBoard = (doc: Y.Doc, signer: Signer, input: FoundInput): { readonly graph: EntryGraph; readonly genesis: VerifiedEntry } => {
  const name = requireLine('name', 'Board name', input.name, LIMITS.boardNameMax)
  const at = requireTimestamp('at', input.at)
  const founder = { name: requireLine('founder', 'Your name', input.founder.name, LIMITS.memberNameMax), color: input.founder.color }
  if (!/^#[0-9a-f]{6}$/.test(founder.color)) throw invalidInput('founder', 'Colour must be a lower-case #rrggbb value.')
  const genesis = foundBoard(
    signer,
    input.board,
    { name, founder, charter: input.charter ?? DEFAULT_CHARTER, admit: input.admit ?? 'any-member', nonce: randomId128() },
    at,
  )
  const graph = new EntryGraph(input.board)
  graph.addVerified(genesis)
  graph.pinGenesis(genesis.hash)
  // One transaction: no device ever sees the board's metadata without its genesis.
  doc.transact(() => {
    createBoard(doc, { name, createdAt: at })
    publishEntries(doc, [genesis])
  }, LOCAL_ORIGIN)
  return { graph, genesis }
}

/** What a share link carries for the person it invites: the invitation's secret key, base64url. */
export interface Invitation {
  readonly entry: VerifiedEntry
  readonly secret: string
}

/**
 * Signs an invitation (SPEC [J4]): `purpose` member admits a new member; `device` binds a further
 * device to this device's member. The secret goes in the link, never in the doc.
 */
export const inviteToBoard = (
  doc: Y.Doc,
  graph: EntryGraph,
  signer: Signer,
  terms: { readonly purpose: InviteData['purpose']; readonly expiresAt: number; readonly uses: number; readonly at: number },
): Invitation => {
  const me = readMembership(doc).ownerOf(toBase64url(signer.publicKey))
  if (me === null) throw new PeerboardError('forbidden', 'Only a member’s device can invite people to this board.', 'signer')
  const secretKey = newSecretKey()
  const key = toBase64url(secretKeySigner(secretKey).publicKey)
  const entry = writeEntry(graph, signer, 'invite', { purpose: terms.purpose, key, expiresAt: terms.expiresAt, uses: terms.uses }, terms.at)
  publishEntries(doc, [entry])
  return { entry, secret: toBase64url(secretKey) }
}

/** The public key an invitation secret (as a link carries it) stands for; null when malformed. */
export const invitationKeyOf = (secret: string): string | null => {
  const bytes = fromBase64url(secret)
  return bytes === null || bytes.length !== 32 ? null : toBase64url(secretKeySigner(bytes).publicKey)
}

/** The invitations in the store that `secret` redeems, newest first. */
const invitationsFor = (graph: EntryGraph, key: string): GraphNode[] =>
  graph
    .ordered()
    .filter((n) => n.entry.kind === 'invite' && (n.entry.data as InviteData).key === key)
    .reverse()

export type Redemption =
  | { readonly status: 'joined'; readonly entry: VerifiedEntry }
  | { readonly status: 'already-member' }
  /** The invitation has not reached this device yet. */
  | { readonly status: 'waiting' }
  | { readonly status: 'refused'; readonly reason: string }

/**
 * Redeems a link's invitation with this device's first entry on the board (SPEC [J4], [J5]): a
 * member join with `profile`, or a device join (profile null) for a device invitation.
 */
export const redeemInvitation = (
  doc: Y.Doc,
  graph: EntryGraph,
  signer: Signer,
  input: { readonly secret: string; readonly profile: Profile; readonly at: number },
): Redemption => {
  const device = toBase64url(signer.publicKey)
  const membership = readMembership(doc)
  if (membership.ownerOf(device) !== null) return { status: 'already-member' }
  if (graph.rootsOf(device).length > 0) return { status: 'refused', reason: 'This device already tried to join this board; ask for help from a member.' }
  const key = invitationKeyOf(input.secret)
  if (key === null) return { status: 'refused', reason: 'The invitation in this link is damaged.' }
  const invitation = invitationsFor(graph, key)[0]
  if (invitation === undefined) return { status: 'waiting' }
  const status = membership.trust?.status(invitation.hash as EntryHash) ?? null
  if (status === null) return { status: 'waiting' }
  if (!status.counts) return { status: 'refused', reason: `This invitation is not valid: ${status.reason}.` }
  const terms = invitation.entry.data as InviteData
  if (input.at > terms.expiresAt) return { status: 'refused', reason: 'This invitation has expired; ask a member for a new link.' }
  const secretSigner = secretKeySigner(fromBase64url(input.secret) as Uint8Array)
  const entry = writeEntry(
    graph,
    signer,
    'join',
    {
      invite: invitation.hash,
      proof: signJoinProof(secretSigner, graph.board, device),
      profile: terms.purpose === 'member' ? input.profile : null,
    },
    input.at,
  )
  publishEntries(doc, [entry])
  return { status: 'joined', entry }
}

/** How long an invitation for one of the member's own linked devices stays open: a year. */
const LINKED_DEVICE_INVITATION_MS = 365 * 24 * 3_600_000

/**
 * Invites one of this member's linked devices to the board: a device invitation whose key is that
 * device's own key (SPEC [J12]). Only a member's device can.
 */
export const inviteLinkedDevice = (doc: Y.Doc, graph: EntryGraph, signer: Signer, deviceKey: string, at: number): VerifiedEntry => {
  if (readMembership(doc).ownerOf(toBase64url(signer.publicKey)) === null) {
    throw new PeerboardError('forbidden', 'Only a member’s device can invite its other devices.', 'signer')
  }
  const entry = writeEntry(graph, signer, 'invite', { purpose: 'device', key: deviceKey, expiresAt: at + LINKED_DEVICE_INVITATION_MS, uses: 1 }, at)
  publishEntries(doc, [entry])
  return entry
}

/**
 * Redeems an invitation for this device's own key (SPEC [J12]) from a device of `member`, the
 * member this device was linked to: any other member could list this device's public key in an
 * invitation, and is ignored. Null when the board holds no such invitation that counts.
 */
export const redeemLinkedDeviceInvitation = (
  doc: Y.Doc,
  graph: EntryGraph,
  signer: Signer,
  member: MemberId,
  at: number,
): VerifiedEntry | null => {
  const device = toBase64url(signer.publicKey)
  const membership = readMembership(doc)
  if (membership.ownerOf(device) !== null || graph.rootsOf(device).length > 0) return null
  const invitation = invitationsFor(graph, device).find((n) => {
    const status = membership.trust?.status(n.hash as EntryHash) ?? null
    const terms = n.entry.data as InviteData
    return status !== null && status.counts && status.member === member && terms.purpose === 'device' && at <= terms.expiresAt
  })
  if (invitation === undefined) return null
  const entry = writeEntry(graph, signer, 'join', { invite: invitation.hash, proof: signJoinProof(signer, graph.board, device), profile: null }, at)
  publishEntries(doc, [entry])
  return entry
}
