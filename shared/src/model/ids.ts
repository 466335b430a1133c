import { getRandomValues } from 'lib0/webcrypto'
import { toBase64url } from '../rules/base64url'

declare const brand: unique symbol
type Brand<T, B extends string> = T & { readonly [brand]: B }

/** A board: 128 random bits, base64url (22 characters). Also the board doc's room name. */
export type BoardId = Brand<string, 'BoardId'>
/** A proposal: 128 random bits, base64url. */
export type ProposalId = Brand<string, 'ProposalId'>
/** A person as known on this device (until device keys arrive: a random id kept locally). */
export type MemberId = Brand<string, 'MemberId'>

const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/

/** 128 random bits as 22 base64url characters (the last one carries 2 bits). */
export const randomId128 = (): string => toBase64url(getRandomValues(new Uint8Array(16)))

export const isId128 = (value: unknown): value is string =>
  typeof value === 'string' && ID_PATTERN.test(value)

export const newBoardId = (): BoardId => randomId128() as BoardId
export const newProposalId = (): ProposalId => randomId128() as ProposalId
export const newMemberId = (): MemberId => randomId128() as MemberId

export const isBoardId = (value: unknown): value is BoardId => isId128(value)
export const isProposalId = (value: unknown): value is ProposalId => isId128(value)
export const isMemberId = (value: unknown): value is MemberId => isId128(value)

// Dialogue
/** A dialogue thread: 128 random bits, base64url. */
export type ThreadId = Brand<string, 'ThreadId'>
/** A message in a thread: 128 random bits, base64url. */
export type MessageId = Brand<string, 'MessageId'>

export const newThreadId = (): ThreadId => randomId128() as ThreadId
export const newMessageId = (): MessageId => randomId128() as MessageId

export const isThreadId = (value: unknown): value is ThreadId => isId128(value)
export const isMessageId = (value: unknown): value is MessageId => isId128(value)

// Stakeholder map
/** An actor of the stakeholder map: 128 random bits, base64url. */
export type ActorId = Brand<string, 'ActorId'>
/** A stakeholder group (chamber): 128 random bits, base64url. */
export type ChamberId = Brand<string, 'ChamberId'>
/** A relation between two actors: 128 random bits, base64url. */
export type RelationId = Brand<string, 'RelationId'>

export const newActorId = (): ActorId => randomId128() as ActorId
export const newChamberId = (): ChamberId => randomId128() as ChamberId
export const newRelationId = (): RelationId => randomId128() as RelationId

export const isActorId = (value: unknown): value is ActorId => isId128(value)
export const isChamberId = (value: unknown): value is ChamberId => isId128(value)
export const isRelationId = (value: unknown): value is RelationId => isId128(value)

// Ledgers
/**
 * A resource-sharing ledger: 128 bits, base64url (22 characters). A board's own ledger has the id
 * `ledgerIdForBoard(boardId)` (rules/ledgerEntries.ts), derived, so that no device ever writes one.
 */
export type LedgerId = Brand<string, 'LedgerId'>
/** A ledger entry: the SHA-256 of its canonical bytes, base64url (43 characters). */
export type EntryId = Brand<string, 'EntryId'>

const ENTRY_ID_PATTERN = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/

export const isLedgerId = (value: unknown): value is LedgerId => isId128(value)
export const isEntryId = (value: unknown): value is EntryId => typeof value === 'string' && ENTRY_ID_PATTERN.test(value)

// Decisions
/** A poll: the first 128 bits of the SHA-256 of its signed definition, base64url (SPEC [C1]). */
export type PollId = Brand<string, 'PollId'>

export const isPollId = (value: unknown): value is PollId => isId128(value)
