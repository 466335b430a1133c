/**
 * The board schema version this code writes. A client that meets a board with a higher version
 * opens it read-only (SPEC [S2]) and says why.
 *
 * History:
 * - 1: meta {name, schemaVersion, createdAt}; proposals {id, title, status, author, authorName,
 *   createdAt, order}.
 */
export const SCHEMA_VERSION = 1
