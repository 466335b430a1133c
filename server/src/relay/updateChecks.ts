import * as Y from 'yjs'

/**
 * The highest clock (and clock + length) an update may name. Yjs clocks count the characters and
 * values one client id has written; an honest client id (a fresh random one per session) stays far
 * below a billion, while forged clocks near 2^32 or 2^53 lose precision and break later updates.
 */
export const MAX_CLOCK = 2 ** 30
/** Client ids are 32-bit in Yjs. */
const MAX_CLIENT = 2 ** 32 - 1

type Decoded = ReturnType<typeof Y.decodeUpdate>

/**
 * What is wrong with a decoded update's shape, before it touches a doc (SPEC [Y6]): a struct or
 * deletion of length zero (Yjs never writes one; a zero-length item leaves a doc that no longer
 * encodes), or a client id or clock out of range. Null when the shape is fine.
 */
export const shapeProblem = ({ structs, ds }: Decoded): string | null => {
  for (const struct of structs) {
    const { client, clock } = struct.id
    if (client > MAX_CLIENT) return `client id ${client} out of range`
    if (struct.length < 1) return `struct ${client}:${clock} has length ${struct.length}`
    if (clock + struct.length > MAX_CLOCK) return `struct ${client}:${clock} runs past clock ${MAX_CLOCK}`
    if (struct instanceof Y.Item) {
      for (const id of [struct.origin, struct.rightOrigin, struct.parent instanceof Y.ID ? struct.parent : null]) {
        if (id !== null && (id.clock >= MAX_CLOCK || id.client > MAX_CLIENT)) return `struct ${client}:${clock} names ${id.client}:${id.clock}`
      }
    }
  }
  for (const [client, deletions] of ds.clients) {
    if (client > MAX_CLIENT) return `deletion for client id ${client} out of range`
    for (const { clock, len } of deletions) {
      if (len < 1 || clock + len > MAX_CLOCK) return `deletion ${client}:${clock}+${len} out of range`
    }
  }
  return null
}

/**
 * Whether an item that starts below its client's clock in `doc` (it re-sends part of what the doc
 * holds) would be linked into another list than the one its own origins name (SPEC [Y6]).
 *
 * Yjs integrates such an item from the clock on: it takes the item's parent (and map key) from the
 * item's own origin (or right origin, or named parent), then makes the struct just below the clock
 * its left neighbour. For an honest item that struct is an earlier piece of the same item, so both
 * name the same list. A forged length (or clock) makes the item span structs of other lists: the
 * doc then holds an item that claims one list but is linked into another (a map entry inside a
 * text, say), which may even merge into that neighbour or overwrite a map key in memory only; what
 * is stored names only the new neighbour and loads elsewhere, so the doc and its snapshot differ.
 *
 * Checked before the update touches the doc. An item whose origin is not in the doc yet (it comes in
 * the same update) is left to `integrationProblem`, which reads what was integrated.
 */
export const overlapProblem = (doc: Y.Doc, structs: readonly (Y.Item | Y.GC | Y.Skip)[]): string | null => {
  const store = doc.store
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue
    const { client, clock } = struct.id
    const state = Y.getState(store, client)
    if (clock >= state || clock + struct.length <= state) continue
    const anchor = struct.origin ?? struct.rightOrigin
    let list: { parent: unknown; parentSub: string | null } | 'collected' | null = null
    if (anchor !== null) {
      if (anchor.clock >= Y.getState(store, anchor.client)) continue
      const item = Y.getItem(store, anchor)
      list = item instanceof Y.Item ? { parent: item.parent, parentSub: item.parentSub } : 'collected'
    } else if (typeof struct.parent === 'string') {
      list = { parent: doc.share.get(struct.parent) ?? null, parentSub: struct.parentSub }
    } else if (struct.parent instanceof Y.ID) {
      if (struct.parent.clock >= Y.getState(store, struct.parent.client)) continue
      const item = Y.getItem(store, struct.parent)
      list = item instanceof Y.Item && item.content instanceof Y.ContentType ? { parent: item.content.type, parentSub: struct.parentSub } : 'collected'
    }
    // An item whose list was collected becomes a collected run itself, wherever it is.
    if (list === null || list === 'collected') continue
    const below = Y.getItem(store, Y.createID(client, state - 1))
    if (!(below instanceof Y.Item) || below.parent !== list.parent || below.parentSub !== list.parentSub) {
      return `item ${client}:${clock}+${struct.length} overlaps the room's clock ${state} from another list`
    }
  }
  return null
}

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
