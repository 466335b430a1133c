import { encodeUtf8 } from 'lib0/string'
import { sha256 } from '@noble/hashes/sha2.js'
import type { BoardId, MemberId } from '../model/ids'
import { fromBase64url, toBase64url } from '../rules/base64url'
import { canonicalBytes } from '../rules/canonical'
import { SIGNATURE_DOMAINS, signFor, verifyFor, type Signer } from '../rules/signatures'
import type { EntryHash } from './entryFormat'

/**
 * Redeeming an invitation (SPEC [J4]). The share link carries an invitation's secret key; the
 * joining device proves it holds the link by signing, with that key, the board and its own device
 * key. Its join entry, signed with the device key itself, is the device's proof of possession:
 * nobody can bind a key that did not sign.
 */
const proofBytes = (board: BoardId, device: string): Uint8Array => canonicalBytes({ board, device })

export const signJoinProof = (invitation: Signer, board: BoardId, device: string): string =>
  toBase64url(signFor(invitation, SIGNATURE_DOMAINS.joinProof, proofBytes(board, device)))

export const verifyJoinProof = (invitationKey: string, board: BoardId, device: string, proof: string): boolean => {
  const key = fromBase64url(invitationKey)
  const signature = fromBase64url(proof)
  if (key === null || signature === null || signature.length !== 64) return false
  return verifyFor(key, SIGNATURE_DOMAINS.joinProof, proofBytes(board, device), signature)
}

/**
 * A member's id: the first 128 bits of SHA-256 over a label and the hash of the entry that made
 * them a member (the genesis, or their join), so that nobody can choose or reuse one.
 */
export const memberIdOf = (admission: EntryHash): MemberId =>
  toBase64url(sha256(encodeUtf8(`peerboard/member-id/v1\u0000${admission}`)).slice(0, 16)) as MemberId
