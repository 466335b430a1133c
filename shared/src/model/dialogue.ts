import type { Hlc } from '../rules/hlc'
import { invalidInput } from './errors'
import { isMemberId, type ActorId, type MemberId, type MessageId, type ProposalId, type ThreadId } from './ids'

/** Input limits for dialogue (SPEC [T2]-[T4]). Lengths count Unicode code points after trimming. */
export const DIALOGUE_LIMITS = {
  threadTitleMax: 200,
  messageBodyMax: 10_000,
  mentionsMax: 50,
} as const

export const THREAD_SUBJECT_KINDS = ['board', 'proposal', 'actor'] as const
export type ThreadSubjectKind = (typeof THREAD_SUBJECT_KINDS)[number]

export const isThreadSubjectKind = (value: unknown): value is ThreadSubjectKind =>
  typeof value === 'string' && (THREAD_SUBJECT_KINDS as readonly string[]).includes(value)

/** What a thread is about: the board as a whole, one proposal, or one actor of the stakeholder map. */
export type ThreadSubject =
  | { readonly kind: 'board' }
  | { readonly kind: 'proposal'; readonly id: ProposalId }
  | { readonly kind: 'actor'; readonly id: ActorId }

/** The tag every message carries, so that a long thread can be read by position. */
export const MESSAGE_STANCES = ['for', 'against', 'question', 'information'] as const
export type MessageStance = (typeof MESSAGE_STANCES)[number]

export const isMessageStance = (value: unknown): value is MessageStance =>
  typeof value === 'string' && (MESSAGE_STANCES as readonly string[]).includes(value)

export interface Thread {
  readonly id: ThreadId
  readonly subject: ThreadSubject
  readonly title: string
  readonly author: MemberId | null
  /** Null when a peer wrote none (such a thread sorts last). */
  readonly createdAt: Hlc | null
}

export interface Message {
  readonly id: MessageId
  readonly thread: ThreadId
  /** The message this one replies to; null at the top level of the thread. */
  readonly parent: MessageId | null
  readonly author: MemberId | null
  /** Plain text, several lines allowed; `''` once removed. */
  readonly body: string
  readonly stance: MessageStance
  /** Members mentioned, in order of first mention; empty once removed. */
  readonly mentions: readonly MemberId[]
  /** Null when a peer wrote none (such a message sorts last among its siblings). */
  readonly createdAt: Hlc | null
  /** True once its author has edited it (the "edited" marker). */
  readonly edited: boolean
  readonly editedAt: Hlc | null
  /** True once its author has removed it: it stays in place, with its replies, as "removed". */
  readonly removed: boolean
  readonly removedAt: Hlc | null
}

/** A message in thread order (SPEC [T6]), with its place in the reply tree. */
export interface ThreadMessage extends Message {
  /** 0 at the top level, 1 for a reply, 2 for a reply to a reply, and so on. */
  readonly depth: number
  /**
   * True when the message names a parent that this device does not have in the thread (not yet
   * received, or malformed); it is shown at the top level until the parent arrives (SPEC [T8]).
   */
  readonly detached: boolean
}

export interface ThreadView {
  readonly thread: Thread
  /** Every message of the thread, depth first, siblings by (createdAt, id). */
  readonly messages: readonly ThreadMessage[]
}

export interface NewThreadInput {
  readonly subject: ThreadSubject
  readonly title: string
  readonly author: MemberId
}

export interface NewMessageInput {
  readonly threadId: ThreadId
  /** The message replied to, in the same thread; null or absent for the top level. */
  readonly parentId?: MessageId | null
  readonly author: MemberId
  readonly body: string
  readonly stance: MessageStance
  /** Members mentioned; when absent, the `<@memberId>` tokens of the body (SPEC [T4]). */
  readonly mentions?: readonly MemberId[]
}

export interface EditMessageInput {
  readonly messageId: MessageId
  /** Who asks for the edit: must be the message's author (SPEC [T9]). */
  readonly editor: MemberId
  readonly body: string
  /** The new stance; absent keeps the current one. */
  readonly stance?: MessageStance
  /** Members mentioned; when absent, the `<@memberId>` tokens of the new body (SPEC [T4]). */
  readonly mentions?: readonly MemberId[]
}

export interface RemoveMessageInput {
  readonly messageId: MessageId
  /** Who asks for the removal: must be the message's author (SPEC [T10]). */
  readonly remover: MemberId
}

const MENTION_PATTERN = /<@([A-Za-z0-9_-]{22})>/g

/** The token that mentions a member in a message body (SPEC [T4]). */
export const mentionToken = (member: MemberId): string => `<@${member}>`

/** The members a body mentions with `<@memberId>` tokens, each once, in order of first mention. */
export const parseMentions = (body: string): MemberId[] => {
  const out = new Set<MemberId>()
  for (const match of body.matchAll(MENTION_PATTERN)) out.add(match[1] as MemberId)
  return [...out]
}

/**
 * The mentions of a message (SPEC [T4]): the explicit list when one is given, else the body's
 * tokens; each a member id, each once, at most DIALOGUE_LIMITS.mentionsMax. Throws a
 * PeerboardError naming `field` otherwise.
 */
export const requireMentions = (field: string, mentions: unknown, body: string): MemberId[] => {
  const list: unknown = mentions === undefined ? parseMentions(body) : mentions
  if (!Array.isArray(list)) throw invalidInput(field, 'Mentions must be a list of members.')
  const out = new Set<MemberId>()
  for (const member of list as unknown[]) {
    if (!isMemberId(member)) throw invalidInput(field, 'Each mention must be a member id.')
    out.add(member)
  }
  const max = DIALOGUE_LIMITS.mentionsMax
  if (out.size > max) {
    throw invalidInput(field, `A message can mention at most ${max} members; this one mentions ${out.size}.`)
  }
  return [...out]
}
