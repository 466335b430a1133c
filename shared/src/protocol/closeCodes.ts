/**
 * WebSocket close codes the relay uses (docs/PROTOCOL.md lists each with what the client does).
 *
 * Codes 4400-4499 are permanent: the y-websocket client (3.x) does not reconnect after them. The
 * relay sends them only for a request that can never succeed or for real abuse, so a client is
 * never stuck retrying what the relay refuses. Everything the client did not cause (the relay is
 * restarting, busy, or failed to store) and mere speed use a retryable code: 1011/1012 or
 * 4500-4599, which y-websocket (and the app's provider, with jitter) retries after a backoff.
 */
export const CLOSE_NORMAL = 1000
/** The relay failed while handling the socket (an internal error); the client reconnects. */
export const CLOSE_INTERNAL_ERROR = 1011
/** The relay is shutting down or restarting; clients reconnect (RFC 6455 "service restart"). */
export const CLOSE_SERVICE_RESTART = 1012
/** A frame could not be decoded (truncated, garbage, or an invalid Yjs update). */
export const CLOSE_MALFORMED_MESSAGE = 4400
/** A frame's message type is not part of the protocol. */
export const CLOSE_UNKNOWN_MESSAGE_TYPE = 4401
/** A frame is larger than the relay accepts (SPEC [L1]). */
export const CLOSE_MESSAGE_TOO_LARGE = 4413
/** An update would make the room's document larger than the relay keeps (SPEC [L5]). */
export const CLOSE_DOC_TOO_LARGE = 4414
/** An awareness frame is larger than the relay accepts (SPEC [L6]). */
export const CLOSE_AWARENESS_TOO_LARGE = 4415
/** The socket sent more updates that cannot be applied yet (clock gaps) than the relay holds (SPEC [Y7]). */
export const CLOSE_PENDING_TOO_LARGE = 4416
/** The relay could not store an update; the client reconnects and sends it again (SPEC [D1]). */
export const CLOSE_STORAGE_FAILED = 4500
/** The room's stored data is damaged; the client retries, and the operator is told (SPEC [D5]). */
export const CLOSE_ROOM_DAMAGED = 4503
/** The socket stayed over its rate for longer than the relay waits (SPEC [L2]); retry later. */
export const CLOSE_SLOW_DOWN = 4529
/** Too many sockets from one address (SPEC [L3]); retry later. */
export const CLOSE_TOO_MANY_CONNECTIONS = 4530
/** The relay holds as many rooms in memory as it is allowed to (SPEC [L4]); retry later. */
export const CLOSE_ROOM_CAPACITY = 4531

export const isPermanentCloseCode = (code: number): boolean => code >= 4400 && code < 4500
