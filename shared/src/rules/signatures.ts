import { encodeUtf8 } from 'lib0/string'
import { ed25519 } from '@noble/curves/ed25519.js'
import { acceptedBefore } from './signatureMemo'

/**
 * Ed25519 signatures over domain-separated bytes: what is signed is
 * `utf8(domain) ‖ 0x00 ‖ bytes`, so a signature made for one purpose (a member record, a device
 * certificate, a stance, a ledger entry) can never be replayed as another. Bytes are verified
 * exactly as stored, never re-serialised.
 */
export const SIGNATURE_DOMAINS = {
  member: 'peerboard/member/v1',
  device: 'peerboard/device/v1',
  /** A ledger entry, signed by its author's device (SPEC [G4]). */
  ledgerEntry: 'peerboard/ledger-entry/v1',
  /** A party's consent to a ledger entry, over the entry's exact bytes (SPEC [G6]). */
  ledgerConsent: 'peerboard/ledger-consent/v1',
  /** A party's refusal of a ledger entry, over the entry's exact bytes (SPEC [G7]). */
  ledgerDecline: 'peerboard/ledger-decline/v1',
  /** A charter revision, signed by the device that adopts it (SPEC [H2]). */
  charter: 'peerboard/charter/v1',
  /** A poll definition, signed by its opener's device (SPEC [C1]). */
  poll: 'peerboard/poll/v1',
  /** A stance, signed by the member's device (SPEC [C4]). */
  stance: 'peerboard/stance/v1',
  /** A "seen after close" marker (SPEC [C9]). */
  pollMarker: 'peerboard/poll-marker/v1',
  /** An invitation key's proof that a device redeems it (SPEC [M4]). */
  joinProof: 'peerboard/join-proof/v1',
} as const

/** A signed entry's domain, one per kind (trust/entryFormat.ts, SPEC [E1]). */
export type EntryDomain = `peerboard/entry/${string}/v1`

export type SignatureDomain = (typeof SIGNATURE_DOMAINS)[keyof typeof SIGNATURE_DOMAINS] | EntryDomain

export const signedMessage = (domain: SignatureDomain, bytes: Uint8Array): Uint8Array => {
  const prefix = encodeUtf8(domain)
  const out = new Uint8Array(prefix.length + 1 + bytes.length)
  out.set(prefix, 0)
  out[prefix.length] = 0
  out.set(bytes, prefix.length + 1)
  return out
}

/** Something that signs with a device key (the key itself may be non-extractable elsewhere). */
export interface Signer {
  readonly publicKey: Uint8Array
  sign(message: Uint8Array): Uint8Array
}

/** A signer over a raw 32-byte Ed25519 secret key (tests, and devices without WebCrypto Ed25519). */
export const secretKeySigner = (secretKey: Uint8Array): Signer => ({
  publicKey: ed25519.getPublicKey(secretKey),
  sign: (message) => ed25519.sign(message, secretKey),
})

export const newSecretKey = (): Uint8Array => ed25519.utils.randomSecretKey()

export const signFor = (signer: Signer, domain: SignatureDomain, bytes: Uint8Array): Uint8Array =>
  signer.sign(signedMessage(domain, bytes))

/** True only for a valid signature by `publicKey`; malformed input is simply false. */
export const verifyFor = (
  publicKey: Uint8Array,
  domain: SignatureDomain,
  bytes: Uint8Array,
  signature: Uint8Array,
): boolean => {
  const message = signedMessage(domain, bytes)
  if (acceptedBefore(publicKey, message, signature)) return true
  try {
    return ed25519.verify(signature, message, publicKey)
  } catch {
    return false
  }
}
