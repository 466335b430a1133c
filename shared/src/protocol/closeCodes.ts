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
/** A frame is larger than the relay accepts. */
export const CLOSE_MESSAGE_TOO_LARGE = 4413

export const isPermanentCloseCode = (code: number): boolean => code >= 4400 && code < 4500
