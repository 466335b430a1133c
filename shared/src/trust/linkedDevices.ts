import type { EntryGraph } from './EntryGraph'
import type { InviteData } from './entryData'
import type { TrustView } from './trustRules'

/**
 * A person's devices are linked once (SPEC [I2]: the first device certifies the next), and each board
 * then binds them both ways (SPEC [J5]): a device of the member that is already bound on the board
 * signs a device invitation whose key is the linked device's own key, and the linked device redeems
 * it by signing its join with that key. No secret travels: the device's key is its own proof.
 */

/**
 * The linked device keys (`certified`) that `me` should invite on this board now: `me` is bound
 * and not revoked here, and the key is bound to nobody here and has no invitation from a device of
 * `me`'s member that still counts (SPEC [J12]).
 */
export const linkedDevicesToInvite = (view: TrustView, graph: EntryGraph, me: string, certified: readonly string[]): string[] => {
  const mine = view.ownerOf(me)
  if (mine === null || mine.revokedBy !== null) return []
  const invited = new Set<string>()
  for (const node of graph.ordered()) {
    if (node.entry.kind !== 'invite') continue
    const terms = node.entry.data as InviteData
    const status = view.status(node.hash)
    if (terms.purpose === 'device' && status !== null && status.counts && status.member === mine.member) invited.add(terms.key)
  }
  return [...new Set(certified)].filter((key) => key !== me && view.ownerOf(key) === null && !invited.has(key))
}
