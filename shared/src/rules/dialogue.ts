import type { Message, ThreadMessage } from '../model/dialogue'
import type { MemberId, MessageId } from '../model/ids'
import type { Hlc } from './hlc'

/**
 * Thread order and unread counts (SPEC [T6], [T8], [T11]): pure functions of a set of messages,
 * so every device that holds the same messages shows them in the same order, whatever order
 * they arrived in.
 */

interface Stamped {
  readonly id: string
  readonly createdAt: Hlc | null
}

/** Sibling order: by createdAt, then id; a message without a timestamp sorts last. */
export const compareMessages = (a: Stamped, b: Stamped): number => {
  if (a.createdAt !== b.createdAt) {
    if (a.createdAt === null) return 1
    if (b.createdAt === null) return -1
    return a.createdAt < b.createdAt ? -1 : 1
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** Thread order in a list of threads: the same as message order, by (createdAt, id). */
export const compareThreads: (a: Stamped, b: Stamped) => number = compareMessages

/**
 * The parent each message hangs under: its named parent when that is another message of the set
 * and following parents from it never comes back to the message; otherwise none (the message is
 * then detached and shown at the top level). Every parent link on a cycle is cut, so what remains
 * is a forest. Linear in the number of messages.
 */
const effectiveParents = (byId: ReadonlyMap<MessageId, Message>): Map<MessageId, MessageId | null> => {
  const parents = new Map<MessageId, MessageId | null>()
  for (const m of byId.values()) {
    parents.set(m.id, m.parent !== null && m.parent !== m.id && byId.has(m.parent) ? m.parent : null)
  }
  const state = new Map<MessageId, 'walking' | 'done'>()
  for (const start of byId.keys()) {
    const path: MessageId[] = []
    let current: MessageId | null = start
    while (current !== null && !state.has(current)) {
      state.set(current, 'walking')
      path.push(current)
      current = parents.get(current) ?? null
    }
    if (current !== null && state.get(current) === 'walking') {
      // The walk came back to a message of its own path: cut every link of that cycle.
      for (const id of path.slice(path.indexOf(current))) parents.set(id, null)
    }
    for (const id of path) state.set(id, 'done')
  }
  return parents
}

/**
 * A thread's messages in reading order (SPEC [T6]): depth first from the top level, siblings by
 * (createdAt, id), each with its depth and whether it is detached from a parent this set lacks
 * ([T8]). `messages` are one thread's, each id once.
 */
export const orderThread = (messages: readonly Message[]): ThreadMessage[] => {
  const byId = new Map(messages.map((m) => [m.id, m] as const))
  const parents = effectiveParents(byId)
  const roots: Message[] = []
  const children = new Map<MessageId, Message[]>()
  for (const m of byId.values()) {
    const parent = parents.get(m.id) ?? null
    if (parent === null) roots.push(m)
    else {
      const siblings = children.get(parent)
      if (siblings === undefined) children.set(parent, [m])
      else siblings.push(m)
    }
  }
  const out: ThreadMessage[] = []
  // An explicit stack: replies nest arbitrarily deep, deeper than the call stack would allow.
  const stack: { readonly message: Message; readonly depth: number }[] = roots
    .sort(compareMessages)
    .reverse()
    .map((message) => ({ message, depth: 0 }))
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const { message, depth } = entry
    out.push(
      Object.freeze({
        ...message,
        depth,
        detached: message.parent !== null && parents.get(message.id) === null,
      }),
    )
    const replies = children.get(message.id)
    if (replies === undefined) continue
    replies.sort(compareMessages)
    for (let i = replies.length - 1; i >= 0; i--) stack.push({ message: replies[i] as Message, depth: depth + 1 })
  }
  return out
}

/** The latest createdAt among `messages`, or null when none has one. */
export const latestMessageHlc = (messages: readonly { readonly createdAt: Hlc | null }[]): Hlc | null => {
  let latest: Hlc | null = null
  for (const m of messages) if (m.createdAt !== null && (latest === null || m.createdAt > latest)) latest = m.createdAt
  return latest
}

/**
 * How many of `messages` are unread for a reader who has seen everything up to `lastSeen` (null:
 * nothing yet): those created after it, not removed, and not written by `reader` ([T11]). The
 * reader's `lastSeen` is local state on their device; nothing about it is written to the board.
 */
export const countUnread = (messages: readonly Message[], lastSeen: Hlc | null, reader?: MemberId): number => {
  let count = 0
  for (const m of messages) {
    if (m.removed || (reader !== undefined && m.author === reader)) continue
    if (lastSeen === null || (m.createdAt !== null && m.createdAt > lastSeen)) count++
  }
  return count
}
