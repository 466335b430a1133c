import * as Y from 'yjs'

/**
 * Whether what an update integrated sits where its own origins say (SPEC [Y6]).
 *
 * Every Yjs item names the item that was on its left when it was inserted (`origin`) and the one on
 * its right (`rightOrigin`). An honest client's origins are always consistent: both in the item's
 * own parent (and map key), the left one before the right one, and a map entry has no right one. A forged update can name origins
 * that contradict each other — the right one before the left, or in another list — and Yjs then
 * integrates it somewhere that depends on how the document happens to be split in memory: the
 * relay's copy, a client's copy and the same document loaded from a snapshot end up with different
 * content. Such an update is refused.
 *
 * `structs` are the decoded structs of the update (or of what it integrated). The check walks from the left origin to the right one, which is the path Yjs's own conflict
 * resolution walked while integrating the item, so it costs no more than the integration did.
 */
export const integrationProblem = (doc: Y.Doc, structs: readonly (Y.Item | Y.GC | Y.Skip)[]): string | null => {
  const store = doc.store
  for (const struct of structs) {
    // Only what is in the doc now: structs still pending are checked when they integrate.
    if (!(struct instanceof Y.Item) || struct.id.clock + struct.length > Y.getState(store, struct.id.client)) continue
    const first = Y.getItem(store, struct.id)
    if (!(first instanceof Y.Item)) continue
    const lastId = Y.createID(struct.id.client, struct.id.clock + struct.length - 1)
    const last = Y.getItem(store, lastId)
    const left = struct.origin === null ? null : Y.getItem(store, struct.origin)
    const right = struct.rightOrigin === null ? null : Y.getItem(store, struct.rightOrigin)
    // A map entry is always set after the key's current value, never before anything.
    if (first.parentSub !== null && struct.rightOrigin !== null) {
      return `item ${struct.id.client}:${struct.id.clock} is a map entry with a right origin`
    }
    for (const neighbour of [left, right]) {
      if (neighbour instanceof Y.Item && (neighbour.parent !== first.parent || neighbour.parentSub !== first.parentSub)) {
        return `item ${struct.id.client}:${struct.id.clock} names an origin in another list`
      }
    }
    if (right instanceof Y.Item && (right === last || !reaches(last, right))) {
      return `item ${struct.id.client}:${struct.id.clock} lies right of its right origin`
    }
    if (left instanceof Y.Item && left !== first && !reaches(left, first)) {
      return `item ${struct.id.client}:${struct.id.clock} lies left of its origin`
    }
  }
  return null
}

/** Whether `to` lies to the right of `from` in their list. */
const reaches = (from: Y.Item, to: Y.Item): boolean => {
  for (let item = from.right; item !== null; item = item.right) if (item === to) return true
  return false
}
