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
