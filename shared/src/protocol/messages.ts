/**
 * The y-websocket wire protocol, as spoken between the relay and the unmodified y-websocket
 * client. A frame is `varUint(messageType) · payload`:
 *
 * - 0 sync: `varUint(syncType) · varUint8Array(data)` with syncType
 *   0 SyncStep1 (the sender's state vector), 1 SyncStep2 (the update the receiver is missing),
 *   2 Update (an incremental update). Both sides send SyncStep1 on connect.
 * - 1 awareness: `varUint8Array(awareness update)` (presence, cursors; not persisted).
 * - 2 auth: relay -> client only; `varUint(0) · varString(reason)` means permission denied.
 * - 3 query awareness: empty; the receiver answers with every awareness state it knows.
 */
export const MESSAGE_SYNC = 0
export const MESSAGE_AWARENESS = 1
export const MESSAGE_AUTH = 2
export const MESSAGE_QUERY_AWARENESS = 3
/**
 * Peerboard's own messages (SPEC [D2]). A client that wants to know what the relay has durably
 * stored sends SAVED_SUBSCRIBE (empty) after connecting; from then on the relay sends it SAVED,
 * `varUint8Array(state vector of the room as stored)`, after updates are committed. The relay
 * never sends SAVED to a socket that did not ask, so the unmodified y-websocket client never
 * sees it.
 */
export const MESSAGE_SAVED_SUBSCRIBE = 100
export const MESSAGE_SAVED = 101

export const SYNC_STEP_1 = 0
export const SYNC_STEP_2 = 1
export const SYNC_UPDATE = 2

/** The path prefix of the sync endpoint: `ws://host:port/sync/<room>`. */
export const SYNC_PATH_PREFIX = '/sync/'
