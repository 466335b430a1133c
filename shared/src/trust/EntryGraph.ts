import { PeerboardError } from '../model/errors'
import type { BoardId } from '../model/ids'
import type { ChainEnvelope, EntryHash } from './entryFormat'
import { verifyEnvelope, type VerifiedEntry } from './verifyEnvelope'

/**
 * A device's set of verified entries of one board, as a graph (SPEC [E4]-[E7]). Entries are added
 * once, by hash, and never removed or replaced: this is the device's verified store, kept apart
 * from the shared doc, and what it re-publishes when the doc loses one.
 *
 * Each entry points to its parents (`prev` and `deps`). An entry is *complete* when every parent is
 * here and complete; only complete entries are judged by the rules, since their causal past is
 * known in full. Complete entries have a height (1 + the highest parent's) and are read in
 * *canonical order*, by height and then hash: an order every device computes alike, in which every
 * entry comes after its whole causal past. Two entries of one device with one sequence number are a
 * fork: both are kept, and the fork is reported.
 */

export interface GraphNode extends VerifiedEntry {
  readonly parents: readonly EntryHash[]
  /** Set once the node is complete. */
  height: number | null
  /**
   * True when the chain from here back to the device's first entry is whole: `prev` is the same
   * device's entry with the previous sequence number, and so on. Known once complete.
   */
  chainOk: boolean
  /** The hash of the chain's first entry when the chain is whole, else null. Known once complete. */
  root: EntryHash | null
}

export type AddResult =
  | { readonly status: 'added' | 'known'; readonly hash: EntryHash }
  | { readonly status: 'refused'; readonly reason: string }

export interface Fork {
  readonly device: string
  readonly seq: number
  readonly hashes: readonly EntryHash[]
}

export class EntryGraph {
  readonly board: BoardId
  private readonly nodes = new Map<EntryHash, GraphNode>()
  /** Parents not yet complete, per incomplete node. */
  private readonly pending = new Map<EntryHash, number>()
  /** Parent hash → incomplete nodes waiting for it. */
  private readonly waiters = new Map<EntryHash, EntryHash[]>()
  private readonly slots = new Map<string, EntryHash[]>()
  private readonly childCount = new Map<EntryHash, number>()
  private readonly headSet = new Set<EntryHash>()
  private orderCache: readonly GraphNode[] | null = null
  private changes = 0
  private pinned: EntryHash | null = null

  constructor(board: BoardId) {
    this.board = board
  }

  /** Bumps whenever an entry is added: derived views cache on it. */
  get version(): number {
    return this.changes
  }

  /**
   * The genesis this device trusts for the board (SPEC [J1]): the one it founded, the one the link
   * that brought it names, or the only one it held when it first looked. Null until known.
   */
  get pinnedGenesis(): EntryHash | null {
    return this.pinned
  }

  /** Trusts `hash` as the board's genesis, for good: a different one is refused. */
  pinGenesis(hash: EntryHash): void {
    if (this.pinned === hash) return
    if (this.pinned !== null) {
      throw new PeerboardError('forbidden', 'This device already trusts another founding entry for this board.', 'genesis')
    }
    this.pinned = hash
    this.changes++
  }

  get size(): number {
    return this.nodes.size
  }

  /** Verifies and adds an envelope. Adding a known entry again changes nothing. */
  add(envelope: ChainEnvelope): AddResult {
    const verified = verifyEnvelope(envelope, this.board)
    if (typeof verified === 'string') return { status: 'refused', reason: verified }
    return this.addVerified(verified)
  }

  /** Adds an entry already verified for this board (by `verifyEnvelope`). */
  addVerified(verified: VerifiedEntry): AddResult {
    if (this.nodes.has(verified.hash)) return { status: 'known', hash: verified.hash }
    const { entry } = verified
    const parents = entry.prev === null ? [...entry.deps] : [entry.prev, ...entry.deps]
    const node: GraphNode = { ...verified, parents, height: null, chainOk: false, root: null }
    this.nodes.set(verified.hash, node)
    const slot = `${entry.device}:${entry.seq}`
    const inSlot = this.slots.get(slot)
    if (inSlot === undefined) this.slots.set(slot, [verified.hash])
    else inSlot.push(verified.hash)
    this.changes++
    this.orderCache = null
    let missing = 0
    for (const parent of parents) {
      if (this.nodes.get(parent)?.height != null) continue
      missing++
      const waiting = this.waiters.get(parent)
      if (waiting === undefined) this.waiters.set(parent, [verified.hash])
      else waiting.push(verified.hash)
    }
    if (missing > 0) this.pending.set(verified.hash, missing)
    else this.complete(node)
    return { status: 'added', hash: verified.hash }
  }

  private complete(first: GraphNode): void {
    const queue = [first]
    for (let node = queue.pop(); node !== undefined; node = queue.pop()) {
      let height = 0
      for (const parent of node.parents) height = Math.max(height, (this.nodes.get(parent) as GraphNode).height as number)
      node.height = height + 1
      const prev = node.entry.prev === null ? null : (this.nodes.get(node.entry.prev) as GraphNode)
      node.chainOk =
        prev === null || (prev.chainOk && prev.entry.device === node.entry.device && prev.entry.seq === node.entry.seq - 1)
      node.root = prev === null ? node.hash : node.chainOk ? prev.root : null
      this.pending.delete(node.hash)
      this.headSet.add(node.hash)
      for (const parent of node.parents) {
        this.childCount.set(parent, (this.childCount.get(parent) ?? 0) + 1)
        this.headSet.delete(parent)
      }
      const waiting = this.waiters.get(node.hash)
      if (waiting === undefined) continue
      this.waiters.delete(node.hash)
      for (const hash of waiting) {
        const left = (this.pending.get(hash) as number) - 1
        if (left > 0) this.pending.set(hash, left)
        else queue.push(this.nodes.get(hash) as GraphNode)
      }
    }
  }

  has(hash: EntryHash): boolean {
    return this.nodes.has(hash)
  }

  get(hash: EntryHash): GraphNode | undefined {
    return this.nodes.get(hash)
  }

  isComplete(hash: EntryHash): boolean {
    return this.nodes.get(hash)?.height != null
  }

  /** Every complete entry in canonical order (height, then hash). */
  ordered(): readonly GraphNode[] {
    if (this.orderCache === null) {
      this.orderCache = [...this.nodes.values()]
        .filter((n) => n.height !== null)
        .sort((a, b) => (a.height as number) - (b.height as number) || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0))
    }
    return this.orderCache
  }

  /** Every verified envelope, complete or not: what the device keeps and re-publishes. */
  *envelopes(): IterableIterator<[EntryHash, ChainEnvelope]> {
    for (const node of this.nodes.values()) yield [node.hash, node.envelope]
  }

  /** Entries still waiting for parents, with the parents nobody has delivered yet. */
  incomplete(): { readonly hash: EntryHash; readonly missing: readonly EntryHash[] }[] {
    const out: { hash: EntryHash; missing: EntryHash[] }[] = []
    for (const hash of this.pending.keys()) {
      const node = this.nodes.get(hash) as GraphNode
      out.push({ hash, missing: node.parents.filter((p) => !this.nodes.has(p)) })
    }
    return out.sort((a, b) => (a.hash < b.hash ? -1 : 1))
  }

  /** Every (device, seq) that holds more than one entry: signed proof of equivocation. */
  forks(): Fork[] {
    const out: Fork[] = []
    for (const [slot, hashes] of this.slots) {
      if (hashes.length < 2) continue
      const at = slot.lastIndexOf(':')
      out.push({ device: slot.slice(0, at), seq: Number(slot.slice(at + 1)), hashes: [...hashes].sort() })
    }
    return out.sort((a, b) => (a.device < b.device ? -1 : a.device > b.device ? 1 : a.seq - b.seq))
  }

  /** Complete entries that no complete entry names as a parent, sorted. */
  heads(): EntryHash[] {
    return [...this.headSet].sort()
  }

  /** The complete entries of `device` with the highest sequence number (two or more: a fork). */
  tipsOf(device: string): GraphNode[] {
    let best: GraphNode[] = []
    for (const node of this.nodes.values()) {
      if (node.entry.device !== device || node.height === null) continue
      const seq = best[0]?.entry.seq ?? 0
      if (node.entry.seq > seq) best = [node]
      else if (node.entry.seq === seq) best.push(node)
    }
    return best
  }

  /** The complete first entries (seq 1) of `device`, in canonical order: more than one is a fork. */
  rootsOf(device: string): GraphNode[] {
    return (this.slots.get(`${device}:1`) ?? [])
      .map((hash) => this.nodes.get(hash) as GraphNode)
      .filter((n) => n.height !== null)
      .sort((a, b) => (a.height as number) - (b.height as number) || (a.hash < b.hash ? -1 : 1))
  }

  /** True when `ancestor` is in the strict causal past of `hash` (both complete). */
  isAncestor(ancestor: EntryHash, hash: EntryHash): boolean {
    const target = this.nodes.get(ancestor)
    const start = this.nodes.get(hash)
    if (target?.height == null || start?.height == null || start.height <= target.height) return false
    const seen = new Set<EntryHash>()
    const stack = [...start.parents]
    for (let h = stack.pop(); h !== undefined; h = stack.pop()) {
      if (h === ancestor) return true
      if (seen.has(h)) continue
      seen.add(h)
      const node = this.nodes.get(h) as GraphNode
      if ((node.height as number) <= target.height) continue
      stack.push(...node.parents)
    }
    return false
  }

  /** The strict causal past of `hash` (complete), every entry in it. */
  pastOf(hash: EntryHash): Set<EntryHash> {
    const seen = new Set<EntryHash>()
    const stack = [...((this.nodes.get(hash)?.parents ?? []) as EntryHash[])]
    for (let h = stack.pop(); h !== undefined; h = stack.pop()) {
      if (seen.has(h)) continue
      seen.add(h)
      stack.push(...(this.nodes.get(h) as GraphNode).parents)
    }
    return seen
  }

  /** The first entry of the device's chain through `hash` (its seq 1), when the chain is whole. */
  rootOf(hash: EntryHash): GraphNode | null {
    const root = this.nodes.get(hash)?.root
    return root == null ? null : (this.nodes.get(root) as GraphNode)
  }
}
