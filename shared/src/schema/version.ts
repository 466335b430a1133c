/**
 * The board schema version this code writes. A client that meets a board with a higher version
 * says so and keeps working (SPEC [S2]): the number is unsigned, so it must not lock a board.
 *
 * History:
 * - 1: meta {name, schemaVersion, createdAt}; proposals {id, title, status, author, authorName,
 *   createdAt, order}.
 * - 2: adds members (signed member records), the stakeholder map (actors, chambers, relations,
 *   actorPositions, chamberMembers, affectedActors, affectedChambers) and dialogue (threads,
 *   messages). Nothing of version 1 changed.
 * - 3: adds decisions and the charter: charter (signed charter revisions), charterAmendments,
 *   polls, stances, pollMarkers (signed), pollOutcomes, actorMembers; meta gains `creator`.
 *   Nothing of version 2 changed.
 */
export const SCHEMA_VERSION = 3
