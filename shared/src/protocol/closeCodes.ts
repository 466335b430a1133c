/**
 * WebSocket close codes the relay uses. Codes 4400-4499 are permanent: the y-websocket client
 * (3.x) does not reconnect after them, so a client that sent something the relay refuses is not
 * stuck retrying it forever.
 */
export const CLOSE_NORMAL = 1000
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
/** The socket kept sending faster than its rate limit (SPEC [L2], [L6]). */
export const CLOSE_RATE_LIMITED = 4429
/** Too many sockets from one address (SPEC [L3]). */
export const CLOSE_TOO_MANY_CONNECTIONS = 4430
/** The relay holds as many rooms in memory as it is allowed to (SPEC [L4]). */
export const CLOSE_ROOM_CAPACITY = 4431

export const isPermanentCloseCode = (code: number): boolean => code >= 4400 && code < 4500
