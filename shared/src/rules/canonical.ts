import { encodeUtf8 } from 'lib0/string'
/**
 * Canonical JSON (the RFC 8785 subset Peerboard needs): object keys sorted by UTF-16 code units,
 * no whitespace, strings escaped as JSON.stringify does, numbers only as safe integers. The same
 * value always gives the same bytes, whatever order its keys were written in, so a signature over
 * them can be checked on any device (DESIGN section 4).
 */
export type CanonicalValue =
  | null
  | boolean
  | number
  | string
  | readonly CanonicalValue[]
  | { readonly [key: string]: CanonicalValue }

export const canonicalJson = (value: CanonicalValue): string => {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`canonical JSON takes safe integers only, not ${value}`)
    return String(value)
  }
  if (Array.isArray(value)) return `[${value.map((v: CanonicalValue) => canonicalJson(v)).join(',')}]`
  const object = value as { readonly [key: string]: CanonicalValue }
  const keys = Object.keys(object).sort()
  return `{${keys
    .filter((k) => object[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(object[k] as CanonicalValue)}`)
    .join(',')}}`
}

export const canonicalBytes = (value: CanonicalValue): Uint8Array => encodeUtf8(canonicalJson(value))
