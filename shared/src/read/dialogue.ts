import * as Y from 'yjs'
import {
  DIALOGUE_LIMITS,
  isMessageStance,
  isThreadSubjectKind,
  type Message,
  type MessageStance,
  type Thread,
  type ThreadSubject,
  type ThreadView,
} from '../model/dialogue'
import {
  isActorId,
  isMemberId,
  isMessageId,
  isProposalId,
  isThreadId,
  type MemberId,
  type MessageId,
  type ThreadId,
} from '../model/ids'
import { compareThreads, latestMessageHlc, orderThread } from '../rules/dialogue'
import { isHlc, type Hlc, type HlcClock } from '../rules/hlc'
import { MESSAGE, MESSAGE_CONTENT, THREAD } from '../schema/keys'
import { yMessagesOf, yThreadsOf } from '../schema/roots'

const hlcOrNull = (value: unknown): Hlc | null => (isHlc(value) ? value : null)

const subjectOf = (y: Y.Map<unknown>): ThreadSubject | null => {
  const kind = y.get(THREAD.subjectKind)
  const id = y.get(THREAD.subjectId)
  if (!isThreadSubjectKind(kind)) return null
  if (kind === 'board') return Object.freeze({ kind })
  if (kind === 'proposal') return isProposalId(id) ? Object.freeze({ kind, id }) : null
  return isActorId(id) ? Object.freeze({ kind, id }) : null
}

/**
 * One thread as a plain frozen value, or null when the entry is not a thread at all, or has no
 * readable subject (it could not be shown in the right place) (SPEC [T12]).
 */
export const readThreadEntry = (id: string, yThread: unknown): Thread | null => {
  if (!isThreadId(id) || !(yThread instanceof Y.Map)) return null
  const y: Y.Map<unknown> = yThread
  const subject = subjectOf(y)
  if (subject === null) return null
  const title = y.get(THREAD.title)
  const author = y.get(THREAD.author)
  return Object.freeze({
    id,
    subject,
    title: typeof title === 'string' ? title : '',
    author: isMemberId(author) ? author : null,
    createdAt: hlcOrNull(y.get(THREAD.createdAt)),
  })
}

interface Content {
  readonly body: string
  readonly stance: MessageStance
  readonly mentions: readonly MemberId[]
  readonly editedAt: Hlc | null
}

const contentOf = (value: unknown): Content => {
  const raw = (value !== null && typeof value === 'object' ? value : {}) as Record<string, unknown>
  const body = raw[MESSAGE_CONTENT.body]
  const stance = raw[MESSAGE_CONTENT.stance]
  const mentions = raw[MESSAGE_CONTENT.mentions]
  const valid = Array.isArray(mentions) ? (mentions as unknown[]).filter((m) => isMemberId(m)) : []
  return {
    body: typeof body === 'string' ? body : '',
    stance: isMessageStance(stance) ? stance : 'information',
    mentions: [...new Set(valid)].slice(0, DIALOGUE_LIMITS.mentionsMax),
    editedAt: hlcOrNull(raw[MESSAGE_CONTENT.editedAt]),
  }
}

/**
 * One message as a plain frozen value, or null when the entry is not a message at all or names
 * no thread (SPEC [T12]). A removed message reads with an empty body and no mentions, whatever a
 * concurrent edit left in its content (SPEC [T10]).
 */
export const readMessageEntry = (id: string, yMessage: unknown): Message | null => {
  if (!isMessageId(id) || !(yMessage instanceof Y.Map)) return null
  const y: Y.Map<unknown> = yMessage
  const thread = y.get(MESSAGE.thread)
  if (!isThreadId(thread)) return null
  const parent = y.get(MESSAGE.parent)
  const author = y.get(MESSAGE.author)
  const content = contentOf(y.get(MESSAGE.content))
  const removed = y.get(MESSAGE.removed) === true
  return Object.freeze({
    id,
    thread,
    parent: isMessageId(parent) ? parent : null,
    author: isMemberId(author) ? author : null,
    body: removed ? '' : content.body,
    stance: content.stance,
    mentions: Object.freeze(removed ? [] : [...content.mentions]),
    createdAt: hlcOrNull(y.get(MESSAGE.createdAt)),
    edited: content.editedAt !== null,
    editedAt: content.editedAt,
    removed,
    removedAt: removed ? hlcOrNull(y.get(MESSAGE.removedAt)) : null,
  })
}

const sameSubject = (a: ThreadSubject, b: ThreadSubject): boolean =>
  a.kind === b.kind && (a.kind === 'board' || (b.kind !== 'board' && a.id === b.id))

/** Every thread, or those about `subject`, by (createdAt, id). */
export const readThreads = (doc: Y.Doc, subject?: ThreadSubject): readonly Thread[] => {
  const out: Thread[] = []
  yThreadsOf(doc).forEach((yThread, id) => {
    const thread = readThreadEntry(id, yThread)
    if (thread !== null && (subject === undefined || sameSubject(thread.subject, subject))) out.push(thread)
  })
  out.sort(compareThreads)
  return Object.freeze(out)
}

export const readMessage = (doc: Y.Doc, id: MessageId): Message | null =>
  readMessageEntry(id, yMessagesOf(doc).get(id))

/** The messages of one thread, in no particular order. */
const messagesOf = (doc: Y.Doc, threadId: ThreadId): Message[] => {
  const out: Message[] = []
  yMessagesOf(doc).forEach((yMessage, id) => {
    const message = readMessageEntry(id, yMessage)
    if (message !== null && message.thread === threadId) out.push(message)
  })
  return out
}

/**
 * A thread and its messages in reading order, each with its depth in the reply tree (SPEC [T6]),
 * or null when this device has no such thread.
 */
export const readThread = (doc: Y.Doc, threadId: ThreadId): ThreadView | null => {
  const thread = readThreadEntry(threadId, yThreadsOf(doc).get(threadId))
  if (thread === null) return null
  return Object.freeze({ thread, messages: Object.freeze(orderThread(messagesOf(doc, threadId))) })
}

/*
 * The latest createdAt per thread, kept per doc so that posting does not read every message of the
 * board (SPEC [T7], [T11]). It is a cache of what a full scan of `messages` would give, invisible
 * but for speed: nothing is written to the doc, and the answer is the scan's, always.
 *
 * What it holds: for each message entry that reads as a message (readMessageEntry), the thread it
 * names and its createdAt (null when malformed); the entries of each thread; and, for threads
 * asked about since their last change that could lower it, their latest createdAt.
 *
 * How it stays right: a message entry can only change inside a Yjs transaction, local or remote,
 * and a transaction's `changed` lists every key it set or deleted in `messages`, and every message
 * map that it changed and that existed before it (a map it created is listed under its key). Each
 * such key is read again from the doc, as the scan would read it, so a transaction that changed a
 * key several times, or is taken in twice, leaves the same index. Finished
 * transactions are taken in on 'afterTransaction'. A read may run before that, inside a
 * transaction or in an observer of one (an observer that posts in answer to a remote message), so
 * each read first takes in the keys of every transaction not yet cleaned up (the doc's
 * `_transactionCleanups`: the current one and those whose observers have not all run).
 */
interface Stamp {
  readonly thread: ThreadId
  readonly createdAt: Hlc | null
}

interface LatestIndex {
  readonly yMessages: Y.Map<unknown>
  /** Message key -> what its entry gives; keys whose entry is not a message are absent. */
  readonly stamps: Map<string, Stamp>
  /** Thread -> keys of its messages. A thread with none is absent. */
  readonly byThread: Map<ThreadId, Set<string>>
  /** Thread -> its latest createdAt, when known; absent: work it out from byThread. */
  readonly latest: Map<ThreadId, Hlc | null>
  /** Keys changed by finished transactions, not yet read again. */
  readonly dirty: Set<string>
}

const latestIndexes = new WeakMap<Y.Doc, LatestIndex>()

/** The keys of `messages` that `transaction` set, deleted, or whose message map it changed. */
const collectMessageKeys = (transaction: Y.Transaction, yMessages: Y.Map<unknown>, into: Set<string>): void => {
  transaction.changed.forEach((keys, yType) => {
    if (yType === (yMessages as Y.AbstractType<unknown>)) {
      for (const key of keys) if (key !== null) into.add(key)
      return
    }
    // A change inside a message's own map (a peer rewriting its thread or createdAt, say). Changes
    // nested deeper cannot alter either field: a Yjs type there is never a thread id or an HLC.
    const item = yType._item
    if (item !== null && item.parent === yMessages && item.parentSub !== null) into.add(item.parentSub)
  })
}

/** Reads entry `key` again and updates the index to match. */
const reindex = (index: LatestIndex, key: string): void => {
  const message = readMessageEntry(key, index.yMessages.get(key))
  const now: Stamp | null = message === null ? null : { thread: message.thread, createdAt: message.createdAt }
  const before = index.stamps.get(key) ?? null
  if (before?.thread === now?.thread && before?.createdAt === now?.createdAt) return
  if (before !== null) {
    index.stamps.delete(key)
    const keys = index.byThread.get(before.thread)
    keys?.delete(key)
    if (keys === undefined || keys.size === 0) {
      index.byThread.delete(before.thread)
      index.latest.delete(before.thread)
    } else if (before.createdAt !== null && index.latest.get(before.thread) === before.createdAt) {
      // It was the latest (or tied with it): work the latest out again when next asked.
      index.latest.delete(before.thread)
    }
  }
  if (now === null) return
  index.stamps.set(key, now)
  const keys = index.byThread.get(now.thread)
  if (keys === undefined) index.byThread.set(now.thread, new Set([key]))
  else keys.add(key)
  const latest = index.latest.get(now.thread)
  if (latest !== undefined && now.createdAt !== null && (latest === null || now.createdAt > latest)) {
    index.latest.set(now.thread, now.createdAt)
  }
}

const latestIndexOf = (doc: Y.Doc): LatestIndex => {
  const existing = latestIndexes.get(doc)
  if (existing !== undefined) return existing
  const yMessages = yMessagesOf(doc)
  const index: LatestIndex = { yMessages, stamps: new Map(), byThread: new Map(), latest: new Map(), dirty: new Set() }
  yMessages.forEach((_, key) => reindex(index, key))
  doc.on('afterTransaction', (transaction) => collectMessageKeys(transaction, yMessages, index.dirty))
  // A destroyed doc drops its listeners; should it be read again, the index is built afresh.
  doc.on('destroy', () => latestIndexes.delete(doc))
  latestIndexes.set(doc, index)
  return index
}

/**
 * The latest createdAt of the thread's messages (null when it has none): what a reader's local
 * "last seen" marker is set to when they open the thread (SPEC [T11]), and what a new message of
 * the thread is stamped after ([T7]). The same as `latestMessageHlc` over the thread's messages,
 * in time proportional to what changed since the last call rather than to the board's messages.
 */
export const readThreadLatestHlc = (doc: Y.Doc, threadId: ThreadId): Hlc | null => {
  const index = latestIndexOf(doc)
  for (const transaction of doc._transactionCleanups) collectMessageKeys(transaction, index.yMessages, index.dirty)
  for (const key of index.dirty) reindex(index, key)
  index.dirty.clear()
  const known = index.latest.get(threadId)
  if (known !== undefined) return known
  const keys = index.byThread.get(threadId)
  if (keys === undefined) return null
  const stamps: Stamp[] = []
  for (const key of keys) {
    const stamp = index.stamps.get(key)
    if (stamp !== undefined) stamps.push(stamp)
  }
  const latest = latestMessageHlc(stamps)
  index.latest.set(threadId, latest)
  return latest
}

/**
 * Lets `clock` receive every timestamp the doc's threads and messages carry, so that whatever
 * this device stamps next sorts after everything it has seen (SPEC [T5]). Writes nothing.
 */
export const advanceClockFromDoc = (doc: Y.Doc, clock: HlcClock): void => {
  yThreadsOf(doc).forEach((yThread, id) => {
    const createdAt = readThreadEntry(id, yThread)?.createdAt ?? null
    if (createdAt !== null) clock.receive(createdAt)
  })
  yMessagesOf(doc).forEach((yMessage, id) => {
    const message = readMessageEntry(id, yMessage)
    if (message === null) return
    for (const stamp of [message.createdAt, message.editedAt, message.removedAt]) {
      if (stamp !== null) clock.receive(stamp)
    }
  })
}

/**
 * Calls `onChange` after every transaction that changed threads or messages (local or remote).
 * Returns the unsubscribe.
 */
export const observeDialogue = (doc: Y.Doc, onChange: () => void): (() => void) => {
  const yThreads = yThreadsOf(doc)
  const yMessages = yMessagesOf(doc)
  const handler = (): void => onChange()
  yThreads.observeDeep(handler)
  yMessages.observeDeep(handler)
  return () => {
    yThreads.unobserveDeep(handler)
    yMessages.unobserveDeep(handler)
  }
}
