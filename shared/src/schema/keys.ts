/**
 * The layout of a board's Y.Doc. Every root key and field name lives here and nowhere else.
 *
 * The schema only grows: a key is never renamed or reused. A key that is no longer written goes to
 * RETIRED_KEYS so that nobody picks the name again (old updates in the wild still carry it).
 */

/** Top-level Y.Map holding the board's metadata (name, schemaVersion, createdAt). */
export const ROOT_META = 'meta'
/** Top-level Y.Map: ProposalId -> Y.Map of proposal fields. */
export const ROOT_PROPOSALS = 'proposals'

/** Fields of the `meta` map. */
export const META = {
  name: 'name',
  schemaVersion: 'schemaVersion',
  createdAt: 'createdAt',
  /** The member who created the board (schema 3); absent on older boards (SPEC [H1]). */
  creator: 'creator',
} as const

/** Fields of one proposal's Y.Map. */
export const PROPOSAL = {
  id: 'id',
  title: 'title',
  status: 'status',
  author: 'author',
  authorName: 'authorName',
  createdAt: 'createdAt',
  order: 'order',
} as const

/** Names that were used once and must never be used again. */
export const RETIRED_KEYS: readonly string[] = []

// Members
/**
 * Top-level Y.Map: `${memberId}/${deviceKey}` -> MemberEnvelope (a plain value). Each device of a
 * member writes its own key, so concurrent publishes never overwrite each other; reads keep the
 * verified record with the highest sequence number (SPEC [I3]).
 */
export const ROOT_MEMBERS = 'members'

// Trust
/**
 * Top-level Y.Map: EntryHash -> EntryEnvelope `{e, s}` (a plain value), add-only: every signed
 * entry of the board under its own hash (SPEC [E4]). Any writer can delete or overwrite a key;
 * devices keep what they verified and put it back (SPEC [E8]).
 */
export const ROOT_SIGNED_ENTRIES = 'signedEntries'

// Dialogue
/** Top-level Y.Map: ThreadId -> Y.Map of thread fields (SPEC [T1]). */
export const ROOT_THREADS = 'threads'
/**
 * Top-level Y.Map: MessageId -> Y.Map of message fields, for every thread (each message names its
 * thread), so that no per-thread container is ever created (SPEC [T1]).
 */
export const ROOT_MESSAGES = 'messages'

/** Fields of one thread's Y.Map. `subjectId` is absent for a board thread. */
export const THREAD = {
  id: 'id',
  subjectKind: 'subjectKind',
  subjectId: 'subjectId',
  title: 'title',
  author: 'author',
  createdAt: 'createdAt',
} as const

/**
 * Fields of one message's Y.Map. `content` is one plain value `{body, stance, mentions, editedAt}`
 * that an edit replaces whole, so that concurrent edits never mix (SPEC [T9]).
 */
export const MESSAGE = {
  id: 'id',
  thread: 'thread',
  parent: 'parent',
  author: 'author',
  createdAt: 'createdAt',
  content: 'content',
  removed: 'removed',
  removedAt: 'removedAt',
} as const

/** Fields of a message's `content` value. */
export const MESSAGE_CONTENT = {
  body: 'body',
  stance: 'stance',
  mentions: 'mentions',
  editedAt: 'editedAt',
} as const

// Stakeholder map
/** Top-level Y.Map: ActorId -> Y.Map of actor fields (SPEC [M1], [M2]). */
export const ROOT_ACTORS = 'actors'
/** Top-level Y.Map: ChamberId -> Y.Map of chamber fields (SPEC [M3]). */
export const ROOT_CHAMBERS = 'chambers'
/** Top-level Y.Map: RelationId -> Y.Map of relation fields (SPEC [M4]). */
export const ROOT_RELATIONS = 'relations'
/**
 * Top-level Y.Map: ActorId -> `{x, y}` (one plain value), so that one drag writes one value and
 * concurrent drags of one actor converge to one writer's whole position (SPEC [M6]).
 */
export const ROOT_ACTOR_POSITIONS = 'actorPositions'
/**
 * Top-level Y.Map of links, one key per pair (see `linkKey`), value `true` (SPEC [M7], [M8]):
 * `chamberMembers` holds `${actorId}:${chamberId}`, `affectedActors` `${proposalId}:${actorId}`,
 * `affectedChambers` `${proposalId}:${chamberId}`. Linking or unlinking one pair never touches
 * another, so concurrent changes to different pairs all survive.
 */
export const ROOT_CHAMBER_MEMBERS = 'chamberMembers'
export const ROOT_AFFECTED_ACTORS = 'affectedActors'
export const ROOT_AFFECTED_CHAMBERS = 'affectedChambers'

/** Fields of one actor's Y.Map. `interests` is one plain array, replaced whole. */
export const ACTOR = {
  id: 'id',
  name: 'name',
  kind: 'kind',
  description: 'description',
  interests: 'interests',
  archived: 'archived',
} as const

/** Fields of one chamber's Y.Map. */
export const CHAMBER = {
  id: 'id',
  name: 'name',
  description: 'description',
  archived: 'archived',
} as const

/** Fields of one relation's Y.Map. */
export const RELATION = {
  id: 'id',
  kind: 'kind',
  from: 'from',
  to: 'to',
  note: 'note',
} as const

/** Fields of a position value in `actorPositions`. */
export const POSITION = {
  x: 'x',
  y: 'y',
} as const

/** The value stored under a link key. */
export const LINKED = true

/** The key of the link between `a` and `b` in a link map: ids are base64url, so ':' never occurs in one. */
export const linkKey = (a: string, b: string): string => `${a}:${b}`

/** The two ids of a link key, or null when it is not `a:b`. */
export const splitLinkKey = (key: string): readonly [string, string] | null => {
  const parts = key.split(':')
  return parts.length === 2 ? [parts[0] as string, parts[1] as string] : null
}

// Decisions and charter
/**
 * Top-level Y.Map: CharterRecordId -> CharterEnvelope (a plain value, add-only, keyed by the hash of
 * its signed body). The charter in force is derived from these records, never read as written
 * (SPEC [H2]-[H4]).
 */
export const ROOT_CHARTER = 'charter'
/**
 * Top-level Y.Map: ProposalId -> the charter content a charter-amendment proposal puts forward (one
 * plain value, replaced whole while no poll runs on it). Its presence makes the proposal a charter
 * amendment (SPEC [H3]).
 */
export const ROOT_CHARTER_AMENDMENTS = 'charterAmendments'
/** Top-level Y.Map: PollId -> PollEnvelope (signed definition, add-only, id = its hash) (SPEC [C1]). */
export const ROOT_POLLS = 'polls'
/** Top-level Y.Map: stance hash -> StanceEnvelope (add-only, one key per stance) (SPEC [C4]). */
export const ROOT_STANCES = 'stances'
/** Top-level Y.Map: marker hash -> MarkerEnvelope, "seen after close" (add-only) (SPEC [C9]). */
export const ROOT_POLL_MARKERS = 'pollMarkers'
/** Top-level Y.Map: PollId -> `{statement, reviewAt, author, writtenAt}` (one plain value) (SPEC [C12]). */
export const ROOT_POLL_OUTCOMES = 'pollOutcomes'
/**
 * Top-level Y.Map of links `${actorId}:${memberId}` -> true: the board member an actor of the
 * stakeholder map is, so that a chamber's members can vote as that chamber (SPEC [C11]).
 */
export const ROOT_ACTOR_MEMBERS = 'actorMembers'

/** Fields of a poll outcome value. */
export const POLL_OUTCOME = {
  statement: 'statement',
  reviewAt: 'reviewAt',
  author: 'author',
  writtenAt: 'writtenAt',
} as const
