import type * as Y from 'yjs'
import type { CharterContent } from '../model/charter'
import { isMemberId, type BoardId, type MemberId } from '../model/ids'
import { keyringFromMembers, type Keyring } from '../rules/memberRecords'
import { ingestEntries } from '../trust/entriesDoc'
import { EntryGraph } from '../trust/EntryGraph'
import type { EntryHash } from '../trust/entryFormat'
import { deriveTrust, type TrustView } from '../trust/trustRules'
import { META } from '../schema/keys'
import { yMetaOf } from '../schema/roots'
import { readMemberRecords } from './members'

/**
 * Who the board's members are and whose each device key is: the one answer every domain reads
 * (SPEC [J9], [I7]).
 *
 * - A **founded** board began with a genesis entry (SPEC [J1]). Its members are those the trust
 *   layer admits from the device's own verified store of entries (its `EntryGraph`, attached to
 *   the doc with `attachTrustStore`), and nothing else: member records in the doc are ignored.
 * - A **legacy** board (created before genesis entries) has no trust store attached; its members
 *   are its signed member records (SPEC [I1]-[I5]).
 */

export interface BoardMember {
  readonly id: MemberId
  readonly name: string
  readonly color: string
  /** Device keys (base64url) bound to the member, first bound first. */
  readonly devices: readonly string[]
  readonly founder: boolean
  /** Who admitted them: null for the founder, and on legacy boards. */
  readonly admittedBy: MemberId | null
}

export interface BoardMembership {
  readonly basis: 'founded' | 'legacy'
  /** Members in the order they were admitted (founded) or by id (legacy). */
  readonly members: ReadonlyMap<MemberId, BoardMember>
  /** The founder (founded boards), or the unsigned creator field's member (legacy boards). */
  readonly founder: MemberId | null
  /** Device key -> member; the same function for every domain. */
  readonly ownerOf: Keyring
  /** Founded boards: charter revision 0 as the genesis states it, with the genesis that states it. */
  readonly genesis: { readonly hash: EntryHash; readonly at: number; readonly charter: CharterContent } | null
  /** Founded boards: the trust view (flags, statuses, devices); null on legacy boards. */
  readonly trust: TrustView | null
}

const stores = new WeakMap<Y.Doc, EntryGraph>()

/**
 * Declares that `doc` is a founded board whose membership this device derives from `graph`, its
 * verified store (SPEC [E8]). From then on every read and op on the doc takes membership from it.
 */
export const attachTrustStore = (doc: Y.Doc, graph: EntryGraph): void => {
  stores.set(doc, graph)
}

/** The verified store attached to `doc`, or null for a legacy board. */
export const trustStoreOf = (doc: Y.Doc): EntryGraph | null => stores.get(doc) ?? null

/** A fresh verified store for `board` holding every entry of `doc` that verifies. */
export const trustStoreFromDoc = (doc: Y.Doc, board: BoardId): EntryGraph => {
  const graph = new EntryGraph(board)
  ingestEntries(doc, graph)
  return graph
}

/** Membership as a trust view states it (SPEC [J9]). Revoked devices stay their member's. */
export const membershipFromTrust = (trust: TrustView): BoardMembership => {
  const members = new Map<MemberId, BoardMember>()
  for (const m of trust.members) {
    members.set(
      m.id,
      Object.freeze({
        id: m.id,
        name: m.profile.name,
        color: m.profile.color,
        devices: Object.freeze(m.devices.map((d) => d.key)),
        founder: m.founder,
        admittedBy: m.admittedBy,
      }),
    )
  }
  const genesis =
    trust.genesis === null ? null : { hash: trust.genesis.hash, at: trust.genesis.at, charter: trust.genesis.data.charter }
  return Object.freeze({
    basis: 'founded' as const,
    members,
    founder: trust.founder,
    ownerOf: (key: string) => trust.ownerOf(key)?.member ?? null,
    genesis,
    trust,
  })
}

/** Membership from signed member records: legacy boards (SPEC [I3]). */
export const membershipFromRecords = (doc: Y.Doc, creator: MemberId | null): BoardMembership => {
  const members = new Map<MemberId, BoardMember>()
  for (const [id, m] of readMemberRecords(doc)) {
    members.set(id, Object.freeze({ id, name: m.name, color: m.color, devices: m.devices, founder: id === creator, admittedBy: null }))
  }
  return Object.freeze({
    basis: 'legacy' as const,
    members,
    founder: creator,
    ownerOf: keyringFromMembers(members.values()),
    genesis: null,
    trust: null,
  })
}

/** A legacy board's unsigned `creator` field (SPEC [H1]); founded boards take the genesis instead. */
export const readLegacyCreator = (doc: Y.Doc): MemberId | null => {
  const creator = yMetaOf(doc).get(META.creator)
  return isMemberId(creator) ? creator : null
}

const derived = new WeakMap<EntryGraph, { version: number; membership: BoardMembership }>()

/**
 * The board's membership on this device. On a founded board this first takes in any new entries
 * the doc holds (the store only grows), then derives from the store, once per change.
 */
export const readMembership = (doc: Y.Doc): BoardMembership => {
  const graph = stores.get(doc)
  if (graph === undefined) return membershipFromRecords(doc, readLegacyCreator(doc))
  ingestEntries(doc, graph)
  const cached = derived.get(graph)
  if (cached !== undefined && cached.version === graph.version) return cached.membership
  const membership = membershipFromTrust(deriveTrust(graph))
  derived.set(graph, { version: graph.version, membership })
  return membership
}
