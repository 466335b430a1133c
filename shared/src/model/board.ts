import type { BoardId, MemberId } from './ids'

/**
 * Whether this code may write to a board:
 * - `writable`: the board's schema is one this code knows;
 * - `newer-schema`: written by a newer Peerboard; opened read-only (SPEC [S2]);
 * - `not-initialised`: no metadata has arrived yet (a new link opened before the first sync).
 */
export type BoardAccess = 'writable' | 'newer-schema' | 'not-initialised'

export interface BoardMeta {
  readonly name: string
  readonly schemaVersion: number
  readonly createdAt: number
  readonly access: BoardAccess
  /** Why the board is read-only, in words for people; undefined when writable. */
  readonly readOnlyReason: string | undefined
}

export interface NewBoardInput {
  readonly name: string
  readonly createdAt: number
  /** The member creating the board: the only one whose first charter counts (SPEC [H1]). */
  readonly creator?: MemberId
}

export interface BoardRef {
  readonly id: BoardId
  readonly name: string
}
