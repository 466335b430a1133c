import type { MemberId } from '../model/ids'
import type { DataOfKind, GenesisData, InviteData, JoinData, Profile, RevokeData } from './entryData'
import type { EntryGraph, GraphNode } from './EntryGraph'
import type { EntryHash } from './entryFormat'
import { fromBase64url } from '../rules/base64url'
import { memberIdForKey } from '../rules/memberRecords'
import { verifyJoinProof } from './joinProof'

/**
 * Who is a member, which device is whose, and which entries count (SPEC [J1]-[J10]). Everything
 * here is a function of the set of complete entries in a graph: any two devices holding the same
 * entries derive the same view, whatever order the entries arrived in.
 *
 * An entry counts when
 * - its device's chain back to its first entry is whole;
 * - that first entry binds the device: the board's genesis (the founder's first device), or a join
 *   that redeems an invitation in its causal past which itself counts;
 * - no revocation of its device leaves it out (a revocation keeps exactly the device's entries in
 *   its own causal past);
 * - its kind's own rule holds (who may invite, whose device may be revoked).
 *
 * Revocations are decided one at a time in canonical order, each under the revocations decided
 * before it; a revocation that counts keeps its effect (SPEC [J7]).
 */

export type TrustStatus =
  | { readonly counts: true; readonly member: MemberId; readonly device: string }
  | { readonly counts: false; readonly reason: string }

export interface DeviceView {
  readonly key: string
  readonly member: MemberId
  /** The entry that bound the device: the genesis or its join. */
  readonly boundBy: EntryHash
  /** The revocation in force, the first that counts in canonical order; null while not revoked. */
  readonly revokedBy: EntryHash | null
  /** How many of its entries do not count because a revocation did not see them. */
  readonly cutEntries: number
  /** The device signed two entries with one sequence number. */
  readonly equivocated: boolean
}

export interface MemberView {
  readonly id: MemberId
  readonly founder: boolean
  /** Who admitted them (null for the founder). */
  readonly admittedBy: MemberId | null
  /** The genesis or the join that made them a member. */
  readonly admission: EntryHash
  readonly profile: Profile
  /** Every device bound to them, revoked ones included, in the order they were bound. */
  readonly devices: readonly DeviceView[]
}

export type TrustFlag =
  | { readonly kind: 'fork'; readonly device: string; readonly seq: number; readonly entries: readonly EntryHash[] }
  | { readonly kind: 'refused'; readonly entry: EntryHash; readonly device: string; readonly reason: string }
  | { readonly kind: 'revoked-device-wrote'; readonly device: string; readonly entries: number }
  | { readonly kind: 'invite-overused'; readonly invite: EntryHash; readonly uses: number; readonly joins: number }
  | { readonly kind: 'waiting'; readonly entries: number; readonly missing: number }
  /** Several founding entries name the board and this device trusts none of them yet: nothing counts. */
  | { readonly kind: 'rival-geneses'; readonly entries: readonly EntryHash[] }

export interface TrustView {
  readonly genesis: { readonly hash: EntryHash; readonly at: number; readonly data: GenesisData } | null
  readonly founder: MemberId | null
  /** Members in the order they were admitted (canonical order of their admissions). */
  readonly members: readonly MemberView[]
  readonly flags: readonly TrustFlag[]
  /** Whether a complete entry counts, and if so for whom; null for an entry not complete here. */
  status(hash: EntryHash): TrustStatus | null
  /** The device's binding, the one answer to "whose key is this" for every domain. */
  ownerOf(deviceKey: string): DeviceView | null
}

export interface DeriveOptions {
  /**
   * Judge only these entries (a causally closed set, for example the causal past of some heads):
   * what the board looked like from there. Default: every complete entry.
   */
  readonly within?: ReadonlySet<EntryHash>
}

const REVOKED = 'its device was revoked before the revocation saw this'

type Cuts = ReadonlyMap<string, ReadonlySet<EntryHash>>

const data = <K extends keyof DataOfKind>(node: GraphNode, _kind: K): DataOfKind[K] => node.entry.data as DataOfKind[K]

/** Judges entries under a fixed set of revocation cuts, remembering each answer. */
class Judge {
  private readonly verdicts = new Map<EntryHash, string | null>()
  private readonly members = new Map<EntryHash, MemberId>()
  private readonly primaryRoots = new Map<string, EntryHash | null>()

  constructor(
    private readonly graph: EntryGraph,
    private readonly genesis: GraphNode | null,
    private readonly cuts: Cuts,
    private readonly decided: ReadonlyMap<EntryHash, string | null>,
  ) {}

  /** Null when the entry counts, else why not. */
  reason(node: GraphNode): string | null {
    let verdict = this.verdicts.get(node.hash)
    if (verdict === undefined) {
      verdict = this.decided.get(node.hash) ?? (this.decided.has(node.hash) ? null : this.compute(node))
      this.verdicts.set(node.hash, verdict)
    }
    return verdict
  }

  /** The member a counting entry's device belongs to. */
  memberOf(node: GraphNode): MemberId {
    return this.memberOfRoot(this.graph.get(node.root as EntryHash) as GraphNode)
  }

  memberOfRoot(root: GraphNode): MemberId {
    let member = this.members.get(root.hash)
    if (member === undefined) {
      if (root.entry.kind === 'join' && data(root, 'join').profile === null) {
        const invite = this.graph.get(data(root, 'join').invite) as GraphNode
        member = this.memberOf(invite)
      } else {
        // SPEC [J2]: the id the admitted device's own key gives, the same on every board.
        member = memberIdForKey(fromBase64url(root.entry.device) as Uint8Array)
      }
      this.members.set(root.hash, member)
    }
    return member
  }

  /** The device's binding: the first of its first entries, in canonical order, that binds it. */
  primaryRoot(device: string): EntryHash | null {
    if (!this.primaryRoots.has(device)) {
      const roots = this.graph.rootsOf(device)
      this.primaryRoots.set(device, roots.find((r) => this.bindingProblem(r) === null)?.hash ?? null)
    }
    return this.primaryRoots.get(device) as EntryHash | null
  }

  private compute(node: GraphNode): string | null {
    if (!node.chainOk || node.root === null) return 'its device’s chain is broken'
    const root = this.graph.get(node.root) as GraphNode
    const binding = this.bindingProblem(root)
    if (binding !== null) return binding
    if (this.primaryRoot(node.entry.device) !== root.hash) return 'its device began a second chain on this board'
    const cut = this.cuts.get(node.entry.device)
    if (cut !== undefined && !cut.has(node.hash)) return REVOKED
    return this.kindProblem(node)
  }

  /** Why a chain's first entry does not bind its device, or null. */
  private bindingProblem(root: GraphNode): string | null {
    if (root.entry.kind === 'genesis') return root === this.genesis ? null : 'it is not this board’s genesis'
    if (root.entry.kind !== 'join') return 'its device never joined the board'
    const join = data(root, 'join')
    const invite = this.graph.get(join.invite)
    if (invite === undefined || !this.graph.isAncestor(join.invite, root.hash)) {
      return 'its join names an invitation outside its causal past'
    }
    if (invite.entry.kind !== 'invite') return 'its join names something that is not an invitation'
    const inviteProblem = this.reason(invite)
    if (inviteProblem !== null) return `its invitation does not count (${inviteProblem})`
    const terms = data(invite, 'invite')
    if ((terms.purpose === 'member') !== (join.profile !== null)) return 'its join does not match the invitation’s purpose'
    if (!verifyJoinProof(terms.key, this.graph.board, root.entry.device, join.proof)) {
      return 'its join does not prove it holds the invitation'
    }
    if (root.entry.at > terms.expiresAt) return 'its invitation had expired'
    return null
  }

  private kindProblem(node: GraphNode): string | null {
    switch (node.entry.kind) {
      case 'invite': {
        const terms = data(node, 'invite')
        if (terms.purpose === 'member' && this.genesis !== null) {
          const policy = data(this.genesis, 'genesis').admit
          if (policy === 'founder' && this.memberOf(node) !== this.memberOfRoot(this.genesis)) {
            return 'only the founder may admit members under this charter'
          }
        }
        return null
      }
      case 'revoke': {
        const target = data(node, 'revoke').device
        const member = this.memberOf(node)
        const root = this.primaryRoot(target)
        const ownsTarget =
          root !== null &&
          this.memberOfRoot(this.graph.get(root) as GraphNode) === member &&
          (root === node.root || this.graph.isAncestor(root, node.hash))
        return ownsTarget ? null : 'it revokes a device that was not its member’s'
      }
      case 'join':
        return node.entry.seq === 1 ? null : 'a join must be its device’s first entry'
      case 'genesis':
      case 'profile':
        return null
    }
  }
}

/** The cut a revocation makes: the revoked device's entries it had seen (itself, for a self-revocation). */
const cutOf = (graph: EntryGraph, revocation: GraphNode): Set<EntryHash> => {
  const device = data(revocation, 'revoke').device
  const kept = new Set<EntryHash>()
  for (const hash of graph.pastOf(revocation.hash)) {
    if ((graph.get(hash) as GraphNode).entry.device === device) kept.add(hash)
  }
  if (revocation.entry.device === device) kept.add(revocation.hash)
  return kept
}

export const deriveTrust = (graph: EntryGraph, options: DeriveOptions = {}): TrustView => {
  const within = options.within
  const ordered = within === undefined ? graph.ordered() : graph.ordered().filter((n) => within.has(n.hash))
  const geneses = ordered.filter((n) => n.entry.kind === 'genesis')
  const pinned = graph.pinnedGenesis
  const genesis =
    pinned !== null ? (geneses.find((n) => n.hash === pinned) ?? null) : geneses.length === 1 ? (geneses[0] as GraphNode) : null

  // Revocations, decided one at a time in canonical order (SPEC [J7]).
  const cuts = new Map<string, ReadonlySet<EntryHash>>()
  const decided = new Map<EntryHash, string | null>()
  const revokedBy = new Map<string, EntryHash>()
  for (const node of ordered) {
    if (node.entry.kind !== 'revoke') continue
    const verdict = new Judge(graph, genesis, cuts, decided).reason(node)
    decided.set(node.hash, verdict)
    if (verdict !== null) continue
    const device = data(node, 'revoke').device
    const cut = cutOf(graph, node)
    const before = cuts.get(device)
    cuts.set(device, before === undefined ? cut : new Set([...before].filter((h) => cut.has(h))))
    if (!revokedBy.has(device)) revokedBy.set(device, node.hash)
  }

  const judge = new Judge(graph, genesis, cuts, decided)
  const statuses = new Map<EntryHash, TrustStatus>()
  const flags: TrustFlag[] = []
  if (pinned === null && geneses.length > 1) flags.push({ kind: 'rival-geneses', entries: geneses.map((n) => n.hash) })
  const cutCount = new Map<string, number>()
  const forkedDevices = new Set(graph.forks().map((f) => f.device))
  const membersById = new Map<MemberId, { view: Omit<MemberView, 'devices' | 'profile'>; profile: Profile; devices: DeviceView[] }>()
  const deviceViews = new Map<string, DeviceView>()
  const joinsPerInvite = new Map<EntryHash, number>()

  for (const node of ordered) {
    const reason = judge.reason(node)
    if (reason !== null) {
      statuses.set(node.hash, { counts: false, reason })
      if (reason === REVOKED) {
        cutCount.set(node.entry.device, (cutCount.get(node.entry.device) ?? 0) + 1)
      } else {
        flags.push({ kind: 'refused', entry: node.hash, device: node.entry.device, reason })
      }
      continue
    }
    const member = judge.memberOf(node)
    statuses.set(node.hash, { counts: true, member, device: node.entry.device })
    if (node.entry.seq === 1) {
      // A chain's first entry that counts binds its device (and may found a member).
      const isMemberAdmission = node.entry.kind === 'genesis' || data(node, 'join').profile !== null
      if (isMemberAdmission) {
        const invite = node.entry.kind === 'join' ? (graph.get(data(node, 'join').invite) as GraphNode) : null
        membersById.set(member, {
          view: {
            id: member,
            founder: node.entry.kind === 'genesis',
            admittedBy: invite === null ? null : judge.memberOf(invite),
            admission: node.hash,
          },
          profile: node.entry.kind === 'genesis' ? data(node, 'genesis').founder : (data(node, 'join').profile as Profile),
          devices: [],
        })
      }
      if (node.entry.kind === 'join') {
        const invite = data(node, 'join').invite
        joinsPerInvite.set(invite, (joinsPerInvite.get(invite) ?? 0) + 1)
      }
      const device: DeviceView = {
        key: node.entry.device,
        member,
        boundBy: node.hash,
        revokedBy: revokedBy.get(node.entry.device) ?? null,
        cutEntries: 0,
        equivocated: forkedDevices.has(node.entry.device),
      }
      deviceViews.set(device.key, device)
      membersById.get(member)?.devices.push(device)
    }
    if (node.entry.kind === 'profile') {
      const record = membersById.get(member)
      if (record !== undefined) record.profile = data(node, 'profile')
    }
  }

  for (const [key, count] of cutCount) {
    const device = deviceViews.get(key)
    if (device !== undefined) {
      const updated = { ...device, cutEntries: count }
      deviceViews.set(key, updated)
      const list = membersById.get(device.member)?.devices
      if (list !== undefined) list[list.indexOf(device)] = updated
    }
    flags.push({ kind: 'revoked-device-wrote', device: key, entries: count })
  }
  for (const [invite, joins] of joinsPerInvite) {
    const uses = data(graph.get(invite) as GraphNode, 'invite').uses
    if (joins > uses) flags.push({ kind: 'invite-overused', invite, uses, joins })
  }
  for (const fork of graph.forks()) flags.push({ kind: 'fork', device: fork.device, seq: fork.seq, entries: fork.hashes })
  const incomplete = graph.incomplete()
  if (within === undefined && incomplete.length > 0) {
    const missing = new Set(incomplete.flatMap((i) => i.missing))
    flags.push({ kind: 'waiting', entries: incomplete.length, missing: missing.size })
  }

  const members = [...membersById.values()].map((m) => Object.freeze({ ...m.view, profile: m.profile, devices: Object.freeze(m.devices) }))
  return Object.freeze({
    genesis: genesis === null ? null : { hash: genesis.hash, at: genesis.entry.at, data: data(genesis, 'genesis') },
    founder: genesis === null ? null : judge.memberOfRoot(genesis),
    members: Object.freeze(members),
    flags: Object.freeze(flags),
    status: (hash: EntryHash) => statuses.get(hash) ?? null,
    ownerOf: (deviceKey: string) => deviceViews.get(deviceKey) ?? null,
  })
}

export type { InviteData, JoinData, RevokeData }
