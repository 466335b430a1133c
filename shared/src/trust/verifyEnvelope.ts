import type { BoardId } from '../model/ids'
import { fromBase64url } from '../rules/base64url'
import { verifyFor } from '../rules/signatures'
import { entryDataProblem } from './entryData'
import {
  entryDomain,
  entryHashOf,
  parseEntryText,
  type Entry,
  type ChainEnvelope,
  type EntryHash,
} from './entryFormat'
import { encodeUtf8 } from 'lib0/string'

/** An entry whose text, payload and signature checked out, with the envelope it came in. */
export interface VerifiedEntry {
  readonly hash: EntryHash
  readonly entry: Entry
  readonly envelope: ChainEnvelope
}

/** The stored value as an envelope, or null when it is not one (any peer can write anything). */
export const asEnvelope = (value: unknown): ChainEnvelope | null => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null
  const v = value as Record<string, unknown>
  if (Object.keys(v).length !== 2 || typeof v.e !== 'string' || typeof v.s !== 'string') return null
  return { e: v.e, s: v.s }
}

/**
 * Checks one envelope on its own (SPEC [E1]-[E3]): canonical text, a known kind with a valid
 * payload, this board, and the device's signature over the
 * exact stored bytes. Whether the device may write it at all is asked later, of its causal past
 * (trustRules.ts). Returns the verified entry, or the reason it is refused.
 */
export const verifyEnvelope = (envelope: ChainEnvelope, board: BoardId): VerifiedEntry | string => {
  const entry = parseEntryText(envelope.e)
  if (typeof entry === 'string') return entry
  const dataProblem = entryDataProblem(entry.kind, entry.data)
  if (dataProblem !== null) return dataProblem
  const hash = entryHashOf(entry.kind, envelope.e)
  if (entry.board !== board) return 'entry belongs to another board'
  const key = fromBase64url(entry.device)
  const signature = fromBase64url(envelope.s)
  if (key === null || signature === null || signature.length !== 64) return 'signature is malformed'
  if (!verifyFor(key, entryDomain(entry.kind), encodeUtf8(envelope.e), signature)) return 'signature does not verify'
  return { hash, entry, envelope }
}
