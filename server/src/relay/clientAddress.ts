import type { IncomingMessage } from 'node:http'
import { isIPv4, isIPv6 } from 'node:net'

/**
 * Client addresses for the per-address limits (SPEC [L3], [L9]), and the `TRUSTED_PROXIES`
 * setting that decides when `X-Forwarded-For` is believed (SPEC [L8]).
 *
 * Addresses are compared as 16 bytes: an IPv4 address is its IPv4-mapped IPv6 form
 * (`::ffff:a.b.c.d`), so `127.0.0.1`, `::ffff:127.0.0.1` and `::ffff:7f00:1` are one address
 * and an IPv4 range matches the mapped forms Node reports on a dual-stack socket. Every address
 * the relay counts is written canonically: IPv4 (and IPv4-mapped) as dotted decimal, IPv6 in the
 * shortest RFC 5952 form.
 */

/** One entry of TRUSTED_PROXIES: an address or a CIDR range. */
export interface AddressRange {
  /** The range's first address, as 16 bytes (IPv4 mapped). */
  readonly bytes: Uint8Array
  /** Leading bits that must match, 0-128 (an IPv4 prefix plus 96). */
  readonly prefix: number
  /** As written in the setting. */
  readonly text: string
}

const parseIPv4 = (text: string): number[] | null =>
  isIPv4(text) ? text.split('.').map((part) => Number(part)) : null

const IPV4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]

/** An IPv4 or IPv6 address as 16 bytes (IPv4 mapped), or null when it is not one. A zone (`%eth0`) is ignored. */
export const addressBytes = (text: string): Uint8Array | null => {
  const v4 = parseIPv4(text)
  if (v4 !== null) return Uint8Array.from([...IPV4_MAPPED_PREFIX, ...v4])
  if (!isIPv6(text)) return null
  let rest = text.split('%')[0] as string
  const groups: number[] = []
  // A trailing dotted IPv4 part stands for the last two groups.
  const lastColon = rest.lastIndexOf(':')
  const tail = parseIPv4(rest.slice(lastColon + 1))
  if (tail !== null) {
    const [a, b, c, d] = tail as [number, number, number, number]
    rest = `${rest.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [left = '', right] = rest.split('::')
  const leftGroups = left === '' ? [] : left.split(':')
  const rightGroups = right === undefined || right === '' ? [] : right.split(':')
  const missing = 8 - leftGroups.length - rightGroups.length
  for (const group of [...leftGroups, ...Array<string>(right === undefined ? 0 : missing).fill('0'), ...rightGroups]) {
    groups.push(parseInt(group, 16))
  }
  if (groups.length !== 8 || groups.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff)) return null
  return Uint8Array.from(groups.flatMap((g) => [g >> 8, g & 0xff]))
}

const isMapped = (bytes: Uint8Array): boolean => IPV4_MAPPED_PREFIX.every((b, i) => bytes[i] === b)

/** The canonical text of an address given as 16 bytes. */
export const formatAddress = (bytes: Uint8Array): string => {
  if (isMapped(bytes)) return Array.from(bytes.subarray(12)).join('.')
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i] as number) << 8) | (bytes[2 * i + 1] as number))
  // RFC 5952: the longest run (the first of equals) of two or more zero groups becomes "::".
  let bestStart = -1
  let bestLength = 1
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLength) {
      bestStart = i
      bestLength = j - i
    }
    i = j
  }
  const hex = (list: number[]): string => list.map((g) => g.toString(16)).join(':')
  if (bestStart === -1) return hex(groups)
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`
}

/** The canonical text of an address, or null when `text` is not an IPv4 or IPv6 address. */
export const canonicalAddress = (text: string): string | null => {
  const bytes = addressBytes(text)
  return bytes === null ? null : formatAddress(bytes)
}

/** `10.0.0.0/8`, `fd00::/8`, or a single address; null when `text` is neither. */
export const parseAddressRange = (text: string): AddressRange | null => {
  const slash = text.indexOf('/')
  const address = slash === -1 ? text : text.slice(0, slash)
  const bytes = addressBytes(address)
  if (bytes === null || address.includes('%')) return null
  const v4 = isIPv4(address)
  const max = v4 ? 32 : 128
  let prefix = max
  if (slash !== -1) {
    const bits = text.slice(slash + 1)
    if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return null
    prefix = Number(bits)
  }
  prefix += v4 ? 96 : 0
  // The range's first address: host bits cleared (10.1.2.3/8 is 10.0.0.0/8).
  const first = Uint8Array.from(bytes, (byte, i) => {
    const keep = Math.max(0, Math.min(8, prefix - 8 * i))
    return byte & ((0xff << (8 - keep)) & 0xff)
  })
  return { bytes: first, prefix, text }
}

/**
 * The TRUSTED_PROXIES list (comma-separated addresses and CIDR ranges, IPv4 and IPv6; spaces
 * around entries are ignored), or the first entry that is not one.
 */
export const parseTrustedProxies = (raw: string): { ranges: AddressRange[] } | { invalid: string } => {
  const ranges: AddressRange[] = []
  for (const entry of raw.split(',').map((e) => e.trim())) {
    if (entry === '') continue
    const range = parseAddressRange(entry)
    if (range === null) return { invalid: entry }
    ranges.push(range)
  }
  return { ranges }
}

const inRange = (range: AddressRange, bytes: Uint8Array): boolean => {
  for (let i = 0; i < 16; i++) {
    const keep = Math.max(0, Math.min(8, range.prefix - 8 * i))
    if (keep === 0) return true
    const mask = (0xff << (8 - keep)) & 0xff
    if (((bytes[i] as number) & mask) !== (range.bytes[i] as number)) return false
  }
  return true
}

/** Whether `address` (any textual form) is in one of `ranges`. */
export const isTrusted = (ranges: readonly AddressRange[], address: string): boolean => {
  if (ranges.length === 0) return false
  const bytes = addressBytes(address)
  return bytes !== null && ranges.some((range) => inRange(range, bytes))
}

/** An X-Forwarded-For entry's address, canonical, without brackets or port (`[::1]:443`, `1.2.3.4:80`). */
const forwardedAddress = (entry: string): string | null => {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry)
  if (bracketed !== null) return canonicalAddress(bracketed[1] as string)
  const v4WithPort = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(entry)
  return canonicalAddress(v4WithPort === null ? entry : (v4WithPort[1] as string))
}

/**
 * The address a request counts against for the per-address limits (SPEC [L8]).
 *
 * The socket's peer, unless the peer is a trusted proxy: then `X-Forwarded-For` is walked from
 * the right (each proxy appends the address it saw), skipping trusted hops, and the first
 * untrusted address is the client. Entries left of it were written by the client or by proxies
 * nobody vouches for, so forging them changes nothing. When every hop is trusted the leftmost is
 * used; an entry that is not an address ends the walk at the last address vouched for.
 * `onIgnored` is called when an untrusted peer sent the header (it was not believed).
 */
export const clientAddress = (
  req: IncomingMessage,
  trusted: readonly AddressRange[],
  onIgnored?: (peer: string) => void,
): string => {
  const raw = req.socket.remoteAddress ?? ''
  const peer = canonicalAddress(raw) ?? (raw === '' ? 'unknown' : raw)
  const header = req.headers['x-forwarded-for']
  if (header === undefined) return peer
  if (!isTrusted(trusted, peer)) {
    onIgnored?.(peer)
    return peer
  }
  const hops = (Array.isArray(header) ? header.join(',') : header)
    .split(',')
    .map((hop) => hop.trim())
    .filter((hop) => hop !== '')
  let address = peer
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = forwardedAddress(hops[i] as string)
    if (hop === null) return address
    address = hop
    if (!isTrusted(trusted, hop)) return hop
  }
  return address
}
