/**
 * The board schema version this code writes. A client that meets a board with a higher version
 * opens it read-only (SPEC [S2]) and says why.
 *
 * History:
 * - 1: meta {name, schemaVersion, createdAt}; proposals {id, title, status, author, authorName,
 *   createdAt, order}.
 * - 2: adds members (signed member records), the stakeholder map (actors, chambers, relations,
 *   actorPositions, chamberMembers, affectedActors, affectedChambers) and dialogue (threads,
 *   messages). Nothing of version 1 changed.
 */
export const SCHEMA_VERSION = 2
