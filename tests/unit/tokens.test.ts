import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { mintToken, parseDuration, verifyToken } from '../../server/src/access/tokens'
import type { BoardId } from '../../shared/src'

const SECRET = 'unit-test-secret-unit-test-secret-0001'
const BOARD = 'BoardBoardBoardBoard01' as BoardId
const OTHER = 'OtherOtherOtherOther01' as BoardId
const NOW = 1_800_000_000

describe('[A2] access tokens', () => {
  it('[A2] a token is pb1.<base64url payload>.<base64url HMAC-SHA256 over the domain-separated payload>', () => {
    const token = mintToken(SECRET, { board: BOARD, scope: 'ro', exp: NOW + 60 })
    const [prefix, payload, mac] = token.split('.')
    expect(prefix).toBe('pb1')
    expect(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'))).toEqual({
      b: BOARD,
      s: 'ro',
      e: NOW + 60,
    })
    const expected = createHmac('sha256', SECRET)
      .update(`peerboard/token/v1.${payload ?? ''}`)
      .digest('base64url')
    expect(mac).toBe(expected)
  })

  it('[A2] known answer: the same claims and secret always give the same token', () => {
    expect(mintToken(SECRET, { board: BOARD, scope: 'rw', exp: NOW })).toBe(
      mintToken(SECRET, { board: BOARD, scope: 'rw', exp: NOW }),
    )
    expect(mintToken(SECRET, { board: BOARD, scope: 'rw', exp: NOW })).not.toBe(
      mintToken(`${SECRET}x`, { board: BOARD, scope: 'rw', exp: NOW }),
    )
  })

  it('[A3] a genuine unexpired token verifies to its claims', () => {
    const token = mintToken(SECRET, { board: BOARD, scope: 'rw', exp: NOW + 1 })
    expect(verifyToken(SECRET, token, NOW)).toEqual({ ok: true, claims: { board: BOARD, scope: 'rw', exp: NOW + 1 } })
  })

  it('[A3] missing, malformed, forged, re-scoped and expired tokens are refused', () => {
    const token = mintToken(SECRET, { board: BOARD, scope: 'ro', exp: NOW + 10 })
    const [, payload, mac] = token.split('.') as [string, string, string]
    const upgraded = Buffer.from(JSON.stringify({ b: BOARD, s: 'rw', e: NOW + 10 })).toString('base64url')
    const otherBoard = Buffer.from(JSON.stringify({ b: OTHER, s: 'ro', e: NOW + 10 })).toString('base64url')
    expect(verifyToken(SECRET, null, NOW)).toEqual({ ok: false, problem: 'missing' })
    expect(verifyToken(SECRET, '', NOW)).toEqual({ ok: false, problem: 'missing' })
    expect(verifyToken(SECRET, 'nonsense', NOW)).toEqual({ ok: false, problem: 'malformed' })
    expect(verifyToken(SECRET, `pb2.${payload}.${mac}`, NOW)).toEqual({ ok: false, problem: 'malformed' })
    expect(verifyToken(SECRET, `pb1.${upgraded}.${mac}`, NOW)).toEqual({ ok: false, problem: 'bad-signature' })
    expect(verifyToken(SECRET, `pb1.${otherBoard}.${mac}`, NOW)).toEqual({ ok: false, problem: 'bad-signature' })
    expect(verifyToken(`${SECRET}!`, token, NOW)).toEqual({ ok: false, problem: 'bad-signature' })
    expect(verifyToken(SECRET, token, NOW + 10)).toEqual({ ok: false, problem: 'expired' })
    expect(verifyToken(SECRET, `${token}${'A'.repeat(600)}`, NOW)).toEqual({ ok: false, problem: 'malformed' })
  })

  it('[A3] any one-character change to a token is refused', () => {
    const token = mintToken(SECRET, { board: BOARD, scope: 'ro', exp: NOW + 10 })
    for (let i = 0; i < token.length; i++) {
      const replacement = token[i] === 'A' ? 'B' : 'A'
      const changed = token.slice(0, i) + replacement + token.slice(i + 1)
      expect(verifyToken(SECRET, changed, NOW).ok, `change at ${i}`).toBe(false)
    }
  })

  it('[A3] a correctly signed payload that is not valid claims is refused', () => {
    const sign = (claims: unknown): string => {
      const payload = Buffer.from(JSON.stringify(claims)).toString('base64url')
      const mac = createHmac('sha256', SECRET).update(`peerboard/token/v1.${payload}`).digest('base64url')
      return `pb1.${payload}.${mac}`
    }
    for (const claims of [null, 1, { b: 'short', s: 'rw', e: NOW + 9 }, { b: BOARD, s: 'admin', e: NOW + 9 }, { b: BOARD, s: 'rw', e: '9' }]) {
      expect(verifyToken(SECRET, sign(claims), NOW)).toEqual({ ok: false, problem: 'malformed' })
    }
  })

  it('parses token lifetimes', () => {
    expect(parseDuration('3600')).toBe(3600)
    expect(parseDuration('45m')).toBe(2700)
    expect(parseDuration('12h')).toBe(43_200)
    expect(parseDuration('30d')).toBe(2_592_000)
    expect(parseDuration('2w')).toBe(1_209_600)
    for (const bad of ['', '0', '-1d', '1y', '1.5d', 'd']) expect(parseDuration(bad)).toBeNull()
  })
})
