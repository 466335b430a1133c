import * as Y from 'yjs'
import {
  DIALOGUE_LIMITS,
  isMessageStance,
  isThreadSubjectKind,
  requireMentions,
  type EditMessageInput,
  type Message,
  type MessageStance,
  type NewMessageInput,
  type NewThreadInput,
  type RemoveMessageInput,
  type ThreadSubject,
} from '../model/dialogue'
import { invalidInput, PeerboardError } from '../model/errors'
import {
  isActorId,
  isMemberId,
  isMessageId,
  isProposalId,
  newMessageId,
  newThreadId,
  type MessageId,
  type ThreadId,
} from '../model/ids'
import { requireLine, requireText } from '../model/text'
import { readMessageEntry, readThreadEntry, readThreadLatestHlc } from '../read/dialogue'
import { readActor } from '../read/map'
import { readProposal } from '../read/proposals'
import type { Hlc, HlcClock } from '../rules/hlc'
import { MESSAGE, MESSAGE_CONTENT, THREAD } from '../schema/keys'
import { LOCAL_ORIGIN } from '../schema/origins'
import { yMessagesOf, yThreadsOf } from '../schema/roots'

/**
 * Dialogue writes (SPEC [T1]-[T10]). Each validates everything first, then makes one transaction.
 * Timestamps come from the caller's hybrid logical clock, which lives on the device, never in the
 * doc: the op lets it receive the timestamps it builds on, then takes a fresh one.
 */
export interface DialogueOpOptions {
  readonly clock: HlcClock
}

const requireStance = (value: unknown): MessageStance => {
  if (!isMessageStance(value)) {
    throw invalidInput('stance', 'Stance must be one of for, against, question or information.')
  }
  return value
}

const requireSubject = (doc: Y.Doc, subject: ThreadSubject): ThreadSubject => {
  const raw = subject as { readonly kind?: unknown; readonly id?: unknown } | null
  if (raw === null || typeof raw !== 'object' || !isThreadSubjectKind(raw.kind)) {
    throw invalidInput('subject', 'A thread is about the board, a proposal or an actor.')
  }
  if (raw.kind === 'board') return { kind: 'board' }
  if (raw.kind === 'proposal') {
    if (!isProposalId(raw.id)) throw invalidInput('subject', 'The subject must name a proposal.')
    if (readProposal(doc, raw.id) === null) {
      throw new PeerboardError('not-found', 'That proposal does not exist on this board.', 'subject')
    }
    return { kind: 'proposal', id: raw.id }
  }
  if (!isActorId(raw.id)) throw invalidInput('subject', 'The subject must name an actor.')
  if (readActor(doc, raw.id) === null) {
    throw new PeerboardError('not-found', 'That actor is not on this board\'s stakeholder map.', 'subject')
  }
  return { kind: 'actor', id: raw.id }
}

/** The message as stored and its Y.Map, refusing a missing one. */
const requireMessage = (doc: Y.Doc, id: unknown): { readonly y: Y.Map<unknown>; readonly message: Message } => {
  if (!isMessageId(id)) throw invalidInput('messageId', 'Message must be a message id.')
  const y = yMessagesOf(doc).get(id)
  const message = readMessageEntry(id, y)
  if (message === null || !(y instanceof Y.Map)) {
    throw new PeerboardError('not-found', 'That message does not exist on this board.', 'messageId')
  }
  return { y, message }
}

/**
 * Only the author may change a message (SPEC [T9], [T10]). The check is on the member id the
 * caller passes: a real proof of authorship needs device signatures, which come later.
 */
const requireAuthor = (message: Message, who: unknown, field: string, doing: string): void => {
  if (!isMemberId(who)) throw invalidInput(field, 'That must be a member id.')
  if (message.author !== who) {
    throw new PeerboardError('forbidden', `Only the author of a message can ${doing} it.`, field)
  }
}

/** A fresh timestamp later than each of `seen` (and everything the clock had seen before). */
const stampAfter = (clock: HlcClock, seen: readonly (Hlc | null)[]): Hlc => {
  for (const stamp of seen) if (stamp !== null) clock.receive(stamp)
  return clock.now()
}

const contentValue = (body: string, stance: MessageStance, mentions: readonly string[], editedAt: Hlc | null) => ({
  [MESSAGE_CONTENT.body]: body,
  [MESSAGE_CONTENT.stance]: stance,
  [MESSAGE_CONTENT.mentions]: [...mentions],
  [MESSAGE_CONTENT.editedAt]: editedAt,
})

/**
 * Starts a thread about the board, a proposal or an actor, and returns its id (SPEC [T2]). With
 * `id` (a thread whose id derives from something else, like a decision's review thread, SPEC
 * [C12]) nothing is written when this device already has that thread.
 */
export const createThread = (
  doc: Y.Doc,
  input: NewThreadInput,
  options: DialogueOpOptions & { readonly id?: ThreadId },
): ThreadId => {
  const subject = requireSubject(doc, input.subject)
  const title = requireLine('title', 'Thread title', input.title, DIALOGUE_LIMITS.threadTitleMax)
  if (!isMemberId(input.author)) throw invalidInput('author', 'Author must be a member id.')
  if (options.id !== undefined && yThreadsOf(doc).has(options.id)) return options.id
  const createdAt = options.clock.now()
  const id = options.id ?? newThreadId()
  doc.transact(() => {
    const yThread = new Y.Map<unknown>()
    yThread.set(THREAD.id, id)
    yThread.set(THREAD.subjectKind, subject.kind)
    if (subject.kind !== 'board') yThread.set(THREAD.subjectId, subject.id)
    yThread.set(THREAD.title, title)
    yThread.set(THREAD.author, input.author)
    yThread.set(THREAD.createdAt, createdAt)
    yThreadsOf(doc).set(id, yThread)
  }, LOCAL_ORIGIN)
  return id
}

/**
 * Posts a message in a thread, at the top level or as a reply to one of its messages, and returns
 * its id (SPEC [T3], [T4]). Its timestamp is later than every message of the thread this device
 * has ([T7]). Written offline, it reads at once here and syncs later.
 */
export const postMessage = (doc: Y.Doc, input: NewMessageInput, options: DialogueOpOptions): MessageId => {
  const threadId = input.threadId
  if (readThreadEntry(threadId, yThreadsOf(doc).get(threadId)) === null) {
    throw new PeerboardError('not-found', 'That thread does not exist on this board.', 'threadId')
  }
  const parentId = input.parentId ?? null
  if (parentId !== null) {
    const parent = isMessageId(parentId) ? readMessageEntry(parentId, yMessagesOf(doc).get(parentId)) : null
    if (parent === null) throw new PeerboardError('not-found', 'The message replied to does not exist.', 'parentId')
    if (parent.thread !== threadId) throw invalidInput('parentId', 'A reply must be in the same thread.')
  }
  if (!isMemberId(input.author)) throw invalidInput('author', 'Author must be a member id.')
  const body = requireText('body', 'Message', input.body, DIALOGUE_LIMITS.messageBodyMax)
  const stance = requireStance(input.stance)
  const mentions = requireMentions('mentions', input.mentions, body)
  const createdAt = stampAfter(options.clock, [readThreadLatestHlc(doc, threadId)])
  const id = newMessageId()
  doc.transact(() => {
    const yMessage = new Y.Map<unknown>()
    yMessage.set(MESSAGE.id, id)
    yMessage.set(MESSAGE.thread, threadId)
    yMessage.set(MESSAGE.parent, parentId)
    yMessage.set(MESSAGE.author, input.author)
    yMessage.set(MESSAGE.createdAt, createdAt)
    yMessage.set(MESSAGE.content, contentValue(body, stance, mentions, null))
    yMessagesOf(doc).set(id, yMessage)
  }, LOCAL_ORIGIN)
  return id
}

/**
 * Replaces a message's body, stance and mentions, as one value, and marks it edited (SPEC [T9]).
 * Only its author may; a removed message cannot be edited. An edit that changes nothing writes
 * nothing.
 */
export const editMessage = (doc: Y.Doc, input: EditMessageInput, options: DialogueOpOptions): void => {
  const { y, message } = requireMessage(doc, input.messageId)
  requireAuthor(message, input.editor, 'editor', 'edit')
  if (message.removed) throw invalidInput('messageId', 'A removed message cannot be edited.')
  const body = requireText('body', 'Message', input.body, DIALOGUE_LIMITS.messageBodyMax)
  const stance = input.stance === undefined ? message.stance : requireStance(input.stance)
  const mentions = requireMentions('mentions', input.mentions, body)
  const unchanged =
    body === message.body &&
    stance === message.stance &&
    mentions.length === message.mentions.length &&
    mentions.every((m, i) => m === message.mentions[i])
  if (unchanged) return
  const editedAt = stampAfter(options.clock, [message.createdAt, message.editedAt])
  doc.transact(() => y.set(MESSAGE.content, contentValue(body, stance, mentions, editedAt)), LOCAL_ORIGIN)
}

/**
 * Removes a message's content but keeps it in place, with its replies, as "removed" (SPEC [T10]).
 * Only its author may. Removing a removed message writes nothing.
 */
export const removeMessage = (doc: Y.Doc, input: RemoveMessageInput, options: DialogueOpOptions): void => {
  const { y, message } = requireMessage(doc, input.messageId)
  requireAuthor(message, input.remover, 'remover', 'remove')
  if (message.removed) return
  const removedAt = stampAfter(options.clock, [message.createdAt, message.editedAt])
  doc.transact(() => {
    y.set(MESSAGE.content, contentValue('', message.stance, [], message.editedAt))
    y.set(MESSAGE.removed, true)
    y.set(MESSAGE.removedAt, removedAt)
  }, LOCAL_ORIGIN)
}
