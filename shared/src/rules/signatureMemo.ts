import { sha256 } from '@noble/hashes/sha2.js'
import { fromBase64url } from './base64url'

/**
 * Native batch pre-verification (SPEC [G12]): a platform's own Ed25519 (WebCrypto, in browsers and
 * in Node) checks many signatures at once, off the main thread, before the rules run; the rules
 * then find those signatures already accepted.
 *
 * The verdict of record stays @noble/curves' `ed25519.verify` (ZIP-215 decoding, cofactored
 * equation), which is what every device runs. A native verifier follows RFC 8032 (canonical
 * encodings, S < L, the cofactorless equation), and everything it accepts ZIP-215 accepts too:
 * `[S]B = R + [k]A` implies `[8][S]B = [8]R + [8][k]A`, and ZIP-215 decodes every encoding RFC 8032
 * does. So only *acceptances* are remembered; a signature the native verifier refuses is left for
 * noble to judge. Verdicts are the same whichever platform pre-verified, or none did: only faster.
 */

/** One signature to check: the exact signed message (domain-separated), key and signature. */
export interface SignatureCheck {
  readonly publicKey: Uint8Array
  readonly message: Uint8Array
  readonly signature: Uint8Array
}

/** A platform's Ed25519 verify. Resolves true only for a valid signature; never rejects. */
export interface NativeEd25519 {
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean>
}

export interface PreverifyReport {
  /** False when the platform has no working Ed25519 (every check is then left to noble). */
  readonly native: boolean
  readonly checked: number
  readonly accepted: number
}

/** Signature (as a byte string) → digest of the key and message it was accepted for. */
const accepted = new Map<string, string>()
/** Bounds memory if nothing reads what was pre-verified (each entry is about 150 bytes). */
const MEMO_MAX = 250_000

const byteString = (bytes: Uint8Array): string => {
  let out = ''
  for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i] as number)
  return out
}

const digestOf = (publicKey: Uint8Array, message: Uint8Array): string => {
  const input = new Uint8Array(publicKey.length + message.length)
  input.set(publicKey, 0)
  input.set(message, publicKey.length)
  return byteString(sha256(input))
}

const remember = (check: SignatureCheck): void => {
  if (accepted.size >= MEMO_MAX) accepted.clear()
  accepted.set(byteString(check.signature), digestOf(check.publicKey, check.message))
}

/**
 * True when this exact signature was accepted natively for this key and message. A hit is
 * consumed: callers cache their own verdicts, so the memo only bridges pre-verification and the
 * first read.
 */
export const acceptedBefore = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean => {
  if (accepted.size === 0) return false
  const key = byteString(signature)
  const want = accepted.get(key)
  if (want === undefined) return false
  accepted.delete(key)
  return want === digestOf(publicKey, message)
}

/** True when a pre-verified acceptance for this signature is waiting to be read. */
export const isPreverified = (signature: Uint8Array): boolean => accepted.size > 0 && accepted.has(byteString(signature))

// RFC 8032 section 7.1, test 1 (empty message): a platform whose Ed25519 accepts this and refuses
// it with one bit changed is used; anything else is not.
const KAT = {
  publicKey: fromBase64url('11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo') as Uint8Array,
  signature: fromBase64url(
    '5VZDAMNgrHKQhuLMgG6CioSHfx645dl02HPgZSJJAVVfuIIVkKM7rMYeOXAc-bRr0lv18FlbviRlUUFDjnoQCw',
  ) as Uint8Array,
}

const platformChecked = new WeakMap<NativeEd25519, Promise<boolean>>()

const platformWorks = (native: NativeEd25519): Promise<boolean> => {
  let known = platformChecked.get(native)
  if (known === undefined) {
    const flipped = KAT.signature.slice()
    flipped[0] = (flipped[0] as number) ^ 1
    const empty = new Uint8Array(0)
    known = Promise.all([native.verify(KAT.publicKey, empty, KAT.signature), native.verify(KAT.publicKey, empty, flipped)]).then(
      ([good, bad]) => good && !bad,
      () => false,
    )
    platformChecked.set(native, known)
  }
  return known
}

const BATCH = 512

/**
 * Checks `checks` with the platform's Ed25519, `BATCH` at a time, and remembers each acceptance
 * for the rules' next read. Never throws; refusals and errors are simply not remembered.
 */
export const preverifySignatures = async (
  checks: readonly SignatureCheck[],
  native: NativeEd25519,
): Promise<PreverifyReport> => {
  if (checks.length === 0) return { native: true, checked: 0, accepted: 0 }
  if (!(await platformWorks(native))) return { native: false, checked: 0, accepted: 0 }
  let acceptedCount = 0
  for (let start = 0; start < checks.length; start += BATCH) {
    const batch = checks.slice(start, start + BATCH)
    const verdicts = await Promise.all(
      batch.map((c) => native.verify(c.publicKey, c.message, c.signature).catch(() => false)),
    )
    verdicts.forEach((ok, i) => {
      if (!ok) return
      remember(batch[i] as SignatureCheck)
      acceptedCount++
    })
  }
  return { native: true, checked: checks.length, accepted: acceptedCount }
}
