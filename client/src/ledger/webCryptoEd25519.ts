import type { NativeEd25519 } from '../../../shared/src'

/**
 * Ed25519 verification by the platform's WebCrypto (browsers, and Node for benchmarks), for the
 * native pre-verification pass (shared `preverifySignatures`). Imported keys are kept per public
 * key, since a ledger's entries come from a handful of devices. Any error resolves false, leaving
 * the signature to the rules' own verifier.
 */
export const webCryptoEd25519 = (subtle: SubtleCrypto | null = globalThis.crypto?.subtle ?? null): NativeEd25519 => {
  const keys = new Map<string, Promise<CryptoKey>>()
  const keyFor = (publicKey: Uint8Array): Promise<CryptoKey> => {
    const id = publicKey.join(',')
    let key = keys.get(id)
    if (key === undefined) {
      if (subtle === null) return Promise.reject(new Error('WebCrypto is not available'))
      key = subtle.importKey('raw', publicKey as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify'])
      key.catch(() => keys.delete(id))
      if (keys.size >= 4096) keys.clear()
      keys.set(id, key)
    }
    return key
  }
  return {
    async verify(publicKey, message, signature) {
      if (subtle === null) return false
      try {
        const key = await keyFor(publicKey)
        return await subtle.verify(
          { name: 'Ed25519' },
          key,
          signature as Uint8Array<ArrayBuffer>,
          message as Uint8Array<ArrayBuffer>,
        )
      } catch {
        return false
      }
    },
  }
}
