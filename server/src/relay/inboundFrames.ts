import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import {
  CLOSE_AWARENESS_TOO_LARGE,
  CLOSE_MALFORMED_MESSAGE,
  CLOSE_UNKNOWN_MESSAGE_TYPE,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SAVED_SUBSCRIBE,
  MESSAGE_SYNC,
  SYNC_STEP_1,
  SYNC_STEP_2,
  SYNC_UPDATE,
} from '../../../shared/src'
import { readAwarenessEntries, type AwarenessEntry } from './awarenessEntries'
import type { RejectionReason } from './RelayObserver'

/**
 * Frames from a client, read completely before anything acts on them (STYLE: every inbound frame
 * is hostile). A frame that does not read closes its socket with a permanent code; a frame that
 * reads is still untrusted (a Yjs update is checked again by the room's trial-apply).
 */
export type InboundFrame =
  | { readonly kind: 'sync-step-1'; readonly stateVector: Uint8Array }
  /** SyncStep2 or Update: both carry a Yjs update. */
  | { readonly kind: 'update'; readonly update: Uint8Array }
  | { readonly kind: 'awareness'; readonly entries: readonly AwarenessEntry[] }
  | { readonly kind: 'query-awareness' }
  | { readonly kind: 'saved-subscribe' }

/** A frame the relay refuses: the socket is closed with a permanent code. */
export class ProtocolViolation extends Error {
  readonly code: number
  readonly reason: RejectionReason
  constructor(code: number, reason: RejectionReason, message: string) {
    super(message)
    this.code = code
    this.reason = reason
  }
}

const malformed = (what: string): ProtocolViolation =>
  new ProtocolViolation(CLOSE_MALFORMED_MESSAGE, 'malformed', `malformed ${what}`)

/** Reads one frame; throws ProtocolViolation when it does not read or is not allowed. */
export const readInboundFrame = (data: Uint8Array, maxAwarenessBytes: number): InboundFrame => {
  const decoder = decoding.createDecoder(data)
  let messageType: number
  try {
    messageType = decoding.readVarUint(decoder)
  } catch {
    throw malformed('message')
  }
  switch (messageType) {
    case MESSAGE_SYNC:
      return readSync(decoder)
    case MESSAGE_AWARENESS: {
      let update: Uint8Array
      try {
        update = decoding.readVarUint8Array(decoder)
      } catch {
        throw malformed('awareness message')
      }
      if (update.byteLength > maxAwarenessBytes) {
        throw new ProtocolViolation(CLOSE_AWARENESS_TOO_LARGE, 'awareness_too_large', 'awareness too large')
      }
      try {
        return { kind: 'awareness', entries: readAwarenessEntries(update) }
      } catch {
        throw malformed('awareness update')
      }
    }
    case MESSAGE_QUERY_AWARENESS:
      return { kind: 'query-awareness' }
    case MESSAGE_SAVED_SUBSCRIBE:
      return { kind: 'saved-subscribe' }
    default:
      throw new ProtocolViolation(CLOSE_UNKNOWN_MESSAGE_TYPE, 'unknown_type', `unknown message type ${messageType}`)
  }
}

const readSync = (decoder: decoding.Decoder): InboundFrame => {
  let syncType: number
  let payload: Uint8Array
  try {
    syncType = decoding.readVarUint(decoder)
    payload = decoding.readVarUint8Array(decoder)
  } catch {
    throw malformed('sync message')
  }
  switch (syncType) {
    case SYNC_STEP_1:
      try {
        Y.decodeStateVector(payload)
      } catch {
        throw malformed('state vector')
      }
      return { kind: 'sync-step-1', stateVector: payload }
    case SYNC_STEP_2:
    case SYNC_UPDATE:
      return { kind: 'update', update: payload }
    default:
      throw new ProtocolViolation(CLOSE_UNKNOWN_MESSAGE_TYPE, 'unknown_type', `unknown sync message type ${syncType}`)
  }
}
