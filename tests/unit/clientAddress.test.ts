import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import {
  addressBytes,
  canonicalAddress,
  clientAddress,
  isTrusted,
  parseAddressRange,
  parseTrustedProxies,
  type AddressRange,
} from '../../server/src/relay/clientAddress'
import { ConfigError, defaultConfig, parseConfig } from '../../server/src/config'

const ranges = (raw: string): AddressRange[] => {
  const parsed = parseTrustedProxies(raw)
  if ('invalid' in parsed) throw new Error(`invalid ${parsed.invalid}`)
  return parsed.ranges
}

/** The parts of a request clientAddress reads: the socket's peer and the headers. */
const request = (peer: string | undefined, forwardedFor?: string): IncomingMessage =>
  ({
    socket: { remoteAddress: peer },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as IncomingMessage

describe('client addresses', () => {
  it('[L8] addresses are read as 16 bytes; IPv4 and its mapped IPv6 forms are one address', () => {
    expect(canonicalAddress('127.0.0.1')).toBe('127.0.0.1')
    expect(canonicalAddress('::ffff:127.0.0.1')).toBe('127.0.0.1')
    expect(canonicalAddress('::ffff:7f00:1')).toBe('127.0.0.1')
    expect(canonicalAddress('::FFFF:7F00:0001')).toBe('127.0.0.1')
    expect(canonicalAddress('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1')
    expect(canonicalAddress('2001:db8:0:1:0:0:0:1')).toBe('2001:db8:0:1::1')
    expect(canonicalAddress('2001:0:0:1:0:0:0:1')).toBe('2001:0:0:1::1')
    expect(canonicalAddress('::')).toBe('::')
    expect(canonicalAddress('::1')).toBe('::1')
    expect(canonicalAddress('1::')).toBe('1::')
    expect(canonicalAddress('1:2:3:4:5:6:7:8')).toBe('1:2:3:4:5:6:7:8')
    expect(canonicalAddress('1:0:3:4:5:6:7:8')).toBe('1:0:3:4:5:6:7:8')
    expect(canonicalAddress('64:ff9b::192.0.2.33')).toBe('64:ff9b::c000:221')
    expect(canonicalAddress('fe80::1%eth0')).toBe('fe80::1')
    expect(addressBytes('10.1.2.3')).toEqual(Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 10, 1, 2, 3]))
    for (const bad of ['', 'localhost', '1.2.3', '01.2.3.4', '256.1.1.1', '1::2::3', '[::1]', '1.2.3.4:80', ' 1.2.3.4', 'unknown']) {
      expect(canonicalAddress(bad), bad).toBeNull()
    }
  })

  it('[L8] TRUSTED_PROXIES takes addresses and CIDR ranges, IPv4 and IPv6; anything else names the bad entry', () => {
    expect(ranges('').length).toBe(0)
    expect(ranges(' 127.0.0.1 , ::1,10.0.0.0/8, fd00::/8 ').map((r) => [r.text, r.prefix])).toEqual([
      ['127.0.0.1', 128],
      ['::1', 128],
      ['10.0.0.0/8', 104],
      ['fd00::/8', 8],
    ])
    for (const bad of ['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/-1', '10.0.0.0/8/8', 'proxy.local', '10.0.0', 'fe80::1%eth0', '1.2.3.4:80']) {
      expect(parseTrustedProxies(`127.0.0.1,${bad}`), bad).toEqual({ invalid: bad })
    }
  })

  it('[L8] a range matches exactly its addresses, whatever form they come in; host bits of a range are ignored', () => {
    const trusted = ranges('10.0.0.0/8,192.168.1.7,2001:db8::/32,::1')
    for (const yes of ['10.0.0.0', '10.255.255.255', '::ffff:10.9.8.7', '192.168.1.7', '::ffff:c0a8:107', '2001:db8::1', '2001:db8:ffff::', '::1']) {
      expect(isTrusted(trusted, yes), yes).toBe(true)
    }
    for (const no of ['11.0.0.0', '9.255.255.255', '192.168.1.8', '2001:db9::', '::2', '127.0.0.1', 'garbage', '']) {
      expect(isTrusted(trusted, no), no).toBe(false)
    }
    expect(parseAddressRange('10.1.2.3/8')?.bytes).toEqual(parseAddressRange('10.0.0.0/8')?.bytes)
    expect(isTrusted(ranges('0.0.0.0/0'), '203.0.113.5')).toBe(true)
    expect(isTrusted(ranges('0.0.0.0/0'), '2001:db8::1')).toBe(false)
    expect(isTrusted(ranges('::/0'), '2001:db8::1')).toBe(true)
    expect(isTrusted([], '127.0.0.1')).toBe(false)
  })

  it('[L8] without trusted proxies, X-Forwarded-For is ignored, also from loopback, and the caller is told', () => {
    const ignored: string[] = []
    const onIgnored = (peer: string): number => ignored.push(peer)
    expect(clientAddress(request('127.0.0.1', '203.0.113.9'), [], onIgnored)).toBe('127.0.0.1')
    expect(clientAddress(request('::ffff:127.0.0.1', '203.0.113.9'), [], onIgnored)).toBe('127.0.0.1')
    expect(clientAddress(request('198.51.100.4', '203.0.113.9'), ranges('127.0.0.1'), onIgnored)).toBe('198.51.100.4')
    expect(ignored).toEqual(['127.0.0.1', '127.0.0.1', '198.51.100.4'])
    expect(clientAddress(request('198.51.100.4'), [], onIgnored)).toBe('198.51.100.4')
    expect(ignored).toHaveLength(3)
    expect(clientAddress(request(undefined), [])).toBe('unknown')
  })

  it('[L8] from a trusted proxy, the header is walked from the right: the first untrusted hop is the client', () => {
    const trusted = ranges('127.0.0.1,10.0.0.0/8')
    // One proxy on the machine: the address it saw.
    expect(clientAddress(request('127.0.0.1', '203.0.113.9'), trusted)).toBe('203.0.113.9')
    expect(clientAddress(request('::ffff:127.0.0.1', '203.0.113.9'), trusted)).toBe('203.0.113.9')
    // A client that forges entries on the left changes nothing.
    expect(clientAddress(request('127.0.0.1', '1.1.1.1, 2.2.2.2, 203.0.113.9'), trusted)).toBe('203.0.113.9')
    // Trusted hops (a load balancer in 10/8) are skipped.
    expect(clientAddress(request('127.0.0.1', '203.0.113.9, 10.0.0.5'), trusted)).toBe('203.0.113.9')
    expect(clientAddress(request('127.0.0.1', '6.6.6.6, 203.0.113.9, 10.0.0.5, 10.1.1.1'), trusted)).toBe('203.0.113.9')
    // Every hop trusted: the leftmost (an internal client).
    expect(clientAddress(request('127.0.0.1', '10.0.0.7, 10.0.0.5'), trusted)).toBe('10.0.0.7')
    // An entry that is not an address stops the walk at the last address vouched for.
    expect(clientAddress(request('127.0.0.1', '203.0.113.9, nonsense'), trusted)).toBe('127.0.0.1')
    expect(clientAddress(request('127.0.0.1', 'nonsense, 10.0.0.5'), trusted)).toBe('10.0.0.5')
    // Ports and brackets some proxies add; canonical IPv6; an empty header.
    expect(clientAddress(request('127.0.0.1', '[2001:DB8::1]:443'), trusted)).toBe('2001:db8::1')
    expect(clientAddress(request('127.0.0.1', '203.0.113.9:5555'), trusted)).toBe('203.0.113.9')
    expect(clientAddress(request('127.0.0.1', ' , '), trusted)).toBe('127.0.0.1')
  })

  it('[L8] [L9] [Y5] TRUSTED_PROXIES and the pending-request settings in the configuration: parsed, default none, a bad entry is a one-line ConfigError naming the setting', () => {
    const defaults = defaultConfig('/static')
    expect(defaults.trustedProxies).toEqual([])
    const config = parseConfig({ TRUSTED_PROXIES: '127.0.0.1, ::1' }, [], defaults)
    expect(config.trustedProxies.map((r) => r.text)).toEqual(['127.0.0.1', '::1'])
    expect(parseConfig({}, ['--trusted-proxies=10.0.0.0/8'], defaults).trustedProxies.map((r) => r.text)).toEqual(['10.0.0.0/8'])
    expect(() => parseConfig({ TRUSTED_PROXIES: '127.0.0.1,proxy.local' }, [], defaults)).toThrow(ConfigError)
    try {
      parseConfig({ TRUSTED_PROXIES: '10.0.0.0/40' }, [], defaults)
    } catch (error) {
      expect((error as Error).message).toContain('TRUSTED_PROXIES')
      expect((error as Error).message).toContain('10.0.0.0/40')
      expect((error as Error).message).not.toContain('\n')
    }
    expect(parseConfig({ MAX_PENDING_UPGRADES_PER_IP: '4', MAX_PENDING_UPGRADES: '9', REQUEST_TIMEOUT_MS: '1500' }, [], defaults)).toMatchObject({
      maxPendingUpgradesPerIp: 4,
      maxPendingUpgrades: 9,
      requestTimeoutMs: 1500,
    })
    expect(() => parseConfig({ REQUEST_TIMEOUT_MS: '10' }, [], defaults)).toThrow(/REQUEST_TIMEOUT_MS/)
  })
})
