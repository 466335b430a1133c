/**
 * Transaction origins. Every write made by shared ops on this device uses LOCAL_ORIGIN, so that
 * observers (sync status, undo) can tell local edits from remote ones.
 */
export const LOCAL_ORIGIN: unique symbol = Symbol('peerboard/local')
