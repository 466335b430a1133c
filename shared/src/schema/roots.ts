import type * as Y from 'yjs'
import {
  ROOT_ACTOR_MEMBERS,
  ROOT_ACTOR_POSITIONS,
  ROOT_ACTORS,
  ROOT_AFFECTED_ACTORS,
  ROOT_AFFECTED_CHAMBERS,
  ROOT_CHAMBER_MEMBERS,
  ROOT_CHAMBERS,
  ROOT_CHARTER,
  ROOT_CHARTER_AMENDMENTS,
  ROOT_MEMBERS,
  ROOT_MESSAGES,
  ROOT_META,
  ROOT_POLL_MARKERS,
  ROOT_POLL_OUTCOMES,
  ROOT_POLLS,
  ROOT_PROPOSALS,
  ROOT_RELATIONS,
  ROOT_SIGNED_ENTRIES,
  ROOT_STANCES,
  ROOT_THREADS,
} from './keys'

/** Top-level shared types. They exist in every replica without anyone creating them (SPEC [S1]). */
export const yMetaOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT_META)
export const yProposalsOf = (doc: Y.Doc): Y.Map<Y.Map<unknown>> => doc.getMap(ROOT_PROPOSALS)
export const yMembersOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT_MEMBERS)

/** Signed entries by hash (SPEC [E4]): envelopes when written by our ops, anything when a peer is faulty. */
export const ySignedEntriesOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT_SIGNED_ENTRIES)

// Dialogue
/** Threads and messages: values are Y.Maps when written by our ops, anything when a peer is faulty. */
export const yThreadsOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT_THREADS)
export const yMessagesOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT_MESSAGES)

// Stakeholder map
/**
 * Actors, chambers and relations: values are Y.Maps when written by our ops, anything when a peer
 * is faulty. Positions hold one `{x, y}` per actor; link maps hold `true` per linked pair.
 */
export const yActorsOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT_ACTORS)
export const yChambersOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT_CHAMBERS)
export const yRelationsOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT_RELATIONS)
export const yActorPositionsOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT_ACTOR_POSITIONS)
export const yChamberMembersOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT_CHAMBER_MEMBERS)
export const yAffectedActorsOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT_AFFECTED_ACTORS)
export const yAffectedChambersOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT_AFFECTED_CHAMBERS)

// Decisions and charter
/** Signed records (plain values) when written by our ops, anything when a peer is faulty. */
export const yCharterOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT_CHARTER)
export const yCharterAmendmentsOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT_CHARTER_AMENDMENTS)
export const yPollsOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT_POLLS)
export const yStancesOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT_STANCES)
export const yPollMarkersOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT_POLL_MARKERS)
export const yPollOutcomesOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT_POLL_OUTCOMES)
export const yActorMembersOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT_ACTOR_MEMBERS)
