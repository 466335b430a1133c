import { createPrivateKey, sign as nodeSign } from 'node:crypto'
import { secretKeySigner, toBase64url, type Signer } from '../../shared/src'

// PKCS#8 wrapping of a raw 32-byte Ed25519 secret key (RFC 8410).
const PKCS8_ED25519 = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20])

/**
 * A device signer over Node's own Ed25519, for writing large signed ledgers quickly. Ed25519 is
 * deterministic, so the signatures are the bytes shared's noble signer makes (checked once here);
 * only the time to set a benchmark up changes.
 */
export const nodeSigner = (secretKey: Uint8Array): Signer => {
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, secretKey]), format: 'der', type: 'pkcs8' })
  const reference = secretKeySigner(secretKey)
  const signer: Signer = {
    publicKey: reference.publicKey,
    sign: (message) => new Uint8Array(nodeSign(null, message, key)),
  }
  const probe = new TextEncoder().encode('peerboard bench signer')
  if (toBase64url(signer.sign(probe)) !== toBase64url(reference.sign(probe))) throw new Error('Node and noble sign differently')
  return signer
}
