import { sha256 } from '@noble/hashes/sha2.js'
import {
  DEFAULT_CHARTER,
  EntryGraph,
  foundBoard,
  signJoinProof,
  secretKeySigner,
  toBase64url,
  writeEntry,
  type AdmitPolicy,
  type BoardId,
  type EntryHash,
  type Profile,
  type Signer,
  type VerifiedEntry,
} from '../../shared/src'

/**
 * Boards of signed entries for tests: deterministic device keys (one per label), and one call per
 * thing a person does (found, invite, join, revoke, rename). Each call signs on a given graph, as
 * the device holding that graph would.
 */

const signers = new Map<string, Signer>()

/** The device key named `label`: the same key for the same label in every test. */
export const device = (label: string): Signer => {
  let signer = signers.get(label)
  if (signer === undefined) {
    signer = secretKeySigner(sha256(new TextEncoder().encode(`peerboard-test-device/${label}`)))
    signers.set(label, signer)
  }
  return signer
}

export const keyOf = (signer: Signer): string => toBase64url(signer.publicKey)

export const profile = (name: string, color = '#336699'): Profile => ({ name, color })

export interface TestBoard {
  readonly board: BoardId
  readonly genesis: VerifiedEntry
  /** A fresh graph holding only the genesis, which it trusts (as the founder's or an invitee's device). */
  graph(): EntryGraph
}

export const foundTestBoard = (
  founder: Signer = device('founder'),
  options: { readonly admit?: AdmitPolicy; readonly name?: string; readonly at?: number } = {},
): TestBoard => {
  const board = toBase64url(sha256(new TextEncoder().encode(`peerboard-test-board/${keyOf(founder)}/${options.name ?? ''}`)).slice(0, 16)) as BoardId
  const genesis = foundBoard(
    founder,
    board,
    {
      name: options.name ?? 'Allotment cooperative',
      founder: profile('Ada'),
      charter: DEFAULT_CHARTER,
      admit: options.admit ?? 'any-member',
      nonce: toBase64url(sha256(new TextEncoder().encode(`${keyOf(founder)}/${options.name ?? ''}`)).slice(0, 16)),
    },
    options.at ?? 1_000,
  )
  return {
    board,
    genesis,
    graph: () => {
      const graph = new EntryGraph(board)
      graph.addVerified(genesis)
      graph.pinGenesis(genesis.hash)
      return graph
    },
  }
}

export interface Invitation {
  readonly entry: VerifiedEntry
  /** The secret half, as the share link carries it. */
  readonly link: Signer
}

let linkCounter = 0

export const invite = (
  graph: EntryGraph,
  issuer: Signer,
  purpose: 'member' | 'device' = 'member',
  options: { readonly at?: number; readonly expiresAt?: number; readonly uses?: number } = {},
): Invitation => {
  const link = device(`link-${++linkCounter}`)
  const entry = writeEntry(
    graph,
    issuer,
    'invite',
    { purpose, key: keyOf(link), expiresAt: options.expiresAt ?? 10_000_000, uses: options.uses ?? 1 },
    options.at ?? 2_000,
  )
  return { entry, link }
}

/** The newcomer's device redeems `invitation` on `graph` (which must hold it). */
export const join = (
  graph: EntryGraph,
  newcomer: Signer,
  invitation: Invitation,
  who: Profile | null,
  at = 3_000,
): VerifiedEntry =>
  writeEntry(
    graph,
    newcomer,
    'join',
    { invite: invitation.entry.hash, proof: signJoinProof(invitation.link, graph.board, keyOf(newcomer)), profile: who },
    at,
  )

/** Invites and joins in one go, on one graph: returns the join. */
export const admit = (graph: EntryGraph, admitter: Signer, newcomer: Signer, name: string): VerifiedEntry =>
  join(graph, newcomer, invite(graph, admitter), profile(name))

/** Links `newDevice` to the member of `existing`, on one graph: returns the join. */
export const linkDevice = (graph: EntryGraph, existing: Signer, newDevice: Signer): VerifiedEntry =>
  join(graph, newDevice, invite(graph, existing, 'device'), null)

export const revoke = (graph: EntryGraph, by: Signer, target: Signer, at = 5_000): VerifiedEntry =>
  writeEntry(graph, by, 'revoke', { device: keyOf(target) }, at)

/** Copies every entry of `from` into `to` (a sync). */
export const syncGraphs = (from: EntryGraph, to: EntryGraph): void => {
  for (const [, envelope] of from.envelopes()) to.add(envelope)
}

/** The member ids with their names, sorted: what a members list shows. */
export const memberNames = (members: readonly { readonly id: string; readonly profile: Profile }[]): string[] =>
  members.map((m) => m.profile.name).sort()

export type { EntryHash }
