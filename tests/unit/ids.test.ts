import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type * as WebCrypto from 'lib0/webcrypto'
import {
  isBoardId,
  isId128,
  isMemberId,
  isProposalId,
  newBoardId,
  newMemberId,
  newProposalId,
  randomId128,
} from '../../shared/src'

// Ids draw their bits from lib0/webcrypto. Tests may fix those bytes to check the encoding against
// Node's own base64url; when `fixed.bytes` is null the real source is used.
const fixed = vi.hoisted(() => ({ bytes: null as Uint8Array | null }))
vi.mock('lib0/webcrypto', async (importOriginal) => {
  const actual = await importOriginal<typeof WebCrypto>()
  return {
    ...actual,
    getRandomValues: <T extends ArrayBufferView>(array: T): T => {
      if (fixed.bytes === null) return actual.getRandomValues(array)
      new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(fixed.bytes)
      return array
    },
  }
})

afterEach(() => {
  fixed.bytes = null
})

const base64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url')

describe('[V2] ids are 22 base64url characters carrying 128 random bits', () => {
  it('[V2] randomId128 is the base64url encoding of 16 random bytes (known answers)', () => {
    const cases: ReadonlyArray<readonly [number[], string]> = [
      [new Array<number>(16).fill(0), 'AAAAAAAAAAAAAAAAAAAAAA'],
      [new Array<number>(16).fill(255), '_____________________w'],
      [[...Array(16).keys()], 'AAECAwQFBgcICQoLDA0ODw'],
    ]
    for (const [bytes, expected] of cases) {
      fixed.bytes = Uint8Array.from(bytes)
      expect(randomId128()).toBe(expected)
      expect(base64url(Uint8Array.from(bytes))).toBe(expected)
    }
  })

  it('[V2] randomId128 encodes every 128-bit value as Node\'s base64url does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        fixed.bytes = bytes
        expect(randomId128()).toBe(base64url(bytes))
      }),
      { numRuns: 300 },
    )
  })

  it('[V2] new ids are valid, of each kind, and distinct', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 500; i++) {
      const ids = [randomId128(), newBoardId(), newProposalId(), newMemberId()]
      for (const id of ids) {
        expect(id).toHaveLength(22)
        expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/)
        expect(isId128(id) && isBoardId(id) && isProposalId(id) && isMemberId(id)).toBe(true)
        // The last character carries the last 2 bits: its low 4 bits are zero.
        expect('AQgw').toContain(id[21])
        seen.add(id)
      }
    }
    expect(seen.size).toBe(2000)
  })

  it('[V2] every one of the 128 bits varies', () => {
    const ones = new Array<number>(128).fill(0)
    const n = 400
    for (let i = 0; i < n; i++) {
      const bytes = Buffer.from(randomId128(), 'base64url')
      expect(bytes).toHaveLength(16)
      for (let bit = 0; bit < 128; bit++) ones[bit]! += (bytes[bit >> 3]! >> (7 - (bit & 7))) & 1
    }
    // Each bit is set in roughly half the ids (p of a false alarm ~ 1e-15 per bit).
    for (const count of ones) expect(Math.abs(count - n / 2)).toBeLessThan(n * 0.2)
  })

  it('[V2] id checks accept exactly 22 base64url characters', () => {
    const good = 'AAECAwQFBgcICQoLDA0ODw'
    for (const check of [isId128, isBoardId, isProposalId, isMemberId]) {
      expect(check(good)).toBe(true)
      expect(check('abcdefghijklmnopqrs-_9')).toBe(true)
      for (const bad of [
        '',
        good.slice(1),
        `${good}A`,
        'AAECAwQFBgcICQoLDA0OD+',
        'AAECAwQFBgcICQoLDA0OD/',
        'AAECAwQFBgcICQoLDA0OD=',
        'AAECAwQFBgcICQoLDA0OD.',
        'AAECAwQFBgcICQoLDA0ODé',
        ` ${good.slice(1)}`,
        `${good}\n`,
        null,
        undefined,
        22,
        [good],
      ]) {
        expect(check(bad)).toBe(false)
      }
    }
  })
})
