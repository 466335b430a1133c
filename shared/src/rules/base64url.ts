const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const LOOKUP = new Map([...ALPHABET].map((c, i) => [c, i]))

/** Bytes as unpadded base64url. */
export const toBase64url = (bytes: Uint8Array): string => {
  let out = ''
  let acc = 0
  let bits = 0
  for (const byte of bytes) {
    acc = (acc << 8) | byte
    bits += 8
    while (bits >= 6) {
      bits -= 6
      out += ALPHABET[(acc >> bits) & 63]
    }
    acc &= (1 << bits) - 1
  }
  if (bits > 0) out += ALPHABET[(acc << (6 - bits)) & 63]
  return out
}

/** Unpadded base64url as bytes, or null if it is not canonical base64url. */
export const fromBase64url = (text: string): Uint8Array | null => {
  if (text.length % 4 === 1) return null
  const out = new Uint8Array(Math.floor((text.length * 6) / 8))
  let acc = 0
  let bits = 0
  let i = 0
  for (const c of text) {
    const v = LOOKUP.get(c)
    if (v === undefined) return null
    acc = (acc << 6) | v
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[i++] = (acc >> bits) & 255
    }
    acc &= (1 << bits) - 1
  }
  // Leftover bits must be zero, so that each byte string has exactly one encoding.
  if (acc !== 0) return null
  return out
}
