import type { BoardId } from '../model/ids'
import { fromBase64url, toBase64url } from '../rules/base64url'
import { canonicalBytes } from '../rules/canonical'
import { SIGNATURE_DOMAINS, signFor, verifyFor, type Signer } from '../rules/signatures'

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
  if (key === null || signature === null) return false
  return verifyFor(key, SIGNATURE_DOMAINS.joinProof, proofBytes(board, device), signature)
}
