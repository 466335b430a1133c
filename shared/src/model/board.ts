import type { BoardId, MemberId } from './ids'

/**
 * Whether the board has begun:
 * - `writable`: its metadata is here;
 * - `not-initialised`: no metadata has arrived yet (a new link opened before the first sync).
 */
export type BoardAccess = 'writable' | 'not-initialised'

export interface BoardMeta {
  readonly name: string
  readonly schemaVersion: number
  readonly createdAt: number
  readonly access: BoardAccess
  /**
   * Set when a newer Peerboard has written to the board (SPEC [S2]): a notice for people. The
   * board stays writable: an unsigned value must not freeze it for everyone.
   */
  readonly newerVersionNotice: string | undefined
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
