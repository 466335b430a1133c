/**
 * What the relay reports as it works; the metrics registry implements it (server/src/observability).
 * Reasons are short snake_case words, the `reason` label of peerboard_rejections_total.
 */
export type RejectionReason =
  | 'unauthorized'
  | 'forbidden_origin'
  | 'bad_room'
  | 'malformed'
  | 'unknown_type'
  | 'too_large'
  | 'rate_limited'
  | 'too_many_connections'
  | 'room_capacity'
  | 'doc_too_large'
  | 'awareness_too_large'
  | 'read_only_write'
  | 'too_many_pending'
  | 'over_rate_too_long'
  | 'pending_too_large'
  | 'awareness_over_cap'
  | 'storage_failed'
  | 'internal_error'

export interface RelayObserver {
  connectionOpened(): void
  connectionClosed(): void
  roomsInMemory(count: number): void
  messageIn(bytes: number): void
  updateIn(): void
  messageOut(bytes: number): void
  rejected(reason: RejectionReason): void
  compacted(): void
  persisted(seconds: number): void
  /** A room's doc was rebuilt from storage after an update failed to apply (SPEC [Y6]). */
  roomRebuilt(): void
  /** `count` stored rows found damaged (not seen before) while loading a room (SPEC [D5]). */
  storageDamaged(count: number): void
}

/** An observer that records nothing. */
export const NO_OBSERVER: RelayObserver = {
  connectionOpened: () => undefined,
  connectionClosed: () => undefined,
  roomsInMemory: () => undefined,
  messageIn: () => undefined,
  updateIn: () => undefined,
  messageOut: () => undefined,
  rejected: () => undefined,
  compacted: () => undefined,
  persisted: () => undefined,
  roomRebuilt: () => undefined,
  storageDamaged: () => undefined,
}
