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

/**
 * The latest createdAt of the thread's messages (null when it has none): what a reader's local
 * "last seen" marker is set to when they open the thread (SPEC [T11]).
 */
export const readThreadLatestHlc = (doc: Y.Doc, threadId: ThreadId): Hlc | null =>
  latestMessageHlc(messagesOf(doc, threadId))

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
