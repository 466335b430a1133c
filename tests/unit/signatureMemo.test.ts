import { ed25519 } from '@noble/curves/ed25519.js'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import {
  createLedgerVerifier,
  preverifySignatures,
  readLedger,
  readPendingLedgerChecks,
  recordContribution,
  SIGNATURE_DOMAINS,
  signedMessage,
  signFor,
  verifyFor,
  type NativeEd25519,
  type SignatureCheck,
} from '../../shared/src'
import { webCryptoEd25519 } from '../../client/src/ledger/webCryptoEd25519'
import { ANN, FULL_KEYRING, LEDGER, newLedgerDoc, writerFor } from '../helpers/ledger'

// Counts calls to the real noble verify (the rules' verifier of record) without replacing it.
const noble = vi.hoisted(() => ({ verifies: 0 }))
vi.mock('@noble/curves/ed25519.js', async (importOriginal) => {
  const original = await importOriginal<{ ed25519: typeof ed25519 }>()
  const verify: typeof original.ed25519.verify = (...args) => {
    noble.verifies++
    return original.ed25519.verify(...args)
  }
  return { ...original, ed25519: { ...original.ed25519, verify } }
})

beforeEach(() => {
  noble.verifies = 0
})

const native = webCryptoEd25519()
const DOMAIN = SIGNATURE_DOMAINS.ledgerEntry
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)
const checkOf = (publicKey: Uint8Array, text: string, signature: Uint8Array): SignatureCheck => ({
  publicKey,
  signature,
  message: signedMessage(DOMAIN, bytes(text)),
})

// Group order L = 2^252 + 27742317777372353535851937790883648493, little-endian arithmetic below.
const L = 2n ** 252n + 27742317777372353535851937790883648493n
const toLE = (n: bigint): Uint8Array => Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn))
const fromLE = (b: Uint8Array): bigint => b.reduceRight((acc, byte) => (acc << 8n) | BigInt(byte), 0n)
const concat = (a: Uint8Array, b: Uint8Array): Uint8Array => Uint8Array.from([...a, ...b])
const P = 2n ** 255n - 19n

/** Signatures and keys where implementations are known to differ (ZIP-215 vs RFC 8032). */
const edgeVectors = (): { name: string; check: SignatureCheck }[] => {
  const secret = new Uint8Array(32).fill(42)
  const publicKey = ed25519.getPublicKey(secret)
  const text = 'an entry body'
  const good = ed25519.sign(signedMessage(DOMAIN, bytes(text)), secret)
  const identity = toLE(1n)
  const identityNonCanonical = toLE(P + 1n) // y = 1 encoded as p + 1
  const zeroS = new Uint8Array(32)
  const order2 = toLE(P - 1n) // (0, -1), a point of order 2
  return [
    { name: 'a valid signature', check: checkOf(publicKey, text, good) },
    { name: 'S + L (non-reduced scalar)', check: checkOf(publicKey, text, concat(good.slice(0, 32), toLE(fromLE(good.slice(32)) + L))) },
    { name: 'identity key, identity R, S = 0', check: checkOf(identity, text, concat(identity, zeroS)) },
    { name: 'non-canonical identity key and R', check: checkOf(identityNonCanonical, text, concat(identityNonCanonical, zeroS)) },
    { name: 'order-2 key, identity R, S = 0', check: checkOf(order2, text, concat(identity, zeroS)) },
    { name: 'a valid signature under another message', check: checkOf(publicKey, `${text}!`, good) },
  ]
}

describe('native pre-verification', () => {
  it('[G18] whatever WebCrypto accepts, the rules’ verifier accepts too (edge encodings and small orders)', async () => {
    for (const { name, check } of edgeVectors()) {
      const byNative = await native.verify(check.publicKey, check.message, check.signature)
      const byNoble = ed25519.verify(check.signature, check.message, check.publicKey)
      expect(!byNative || byNoble, name).toBe(true)
    }
  })

  it('[G18] after a pass, every verdict is the rules’ own verdict', async () => {
    const vectors = edgeVectors()
    const expected = vectors.map(({ check }) => ed25519.verify(check.signature, check.message, check.publicKey))
    await preverifySignatures(
      vectors.map((v) => v.check),
      native,
    )
    vectors.forEach(({ name, check }, i) => {
      const text = new TextDecoder().decode(check.message.slice(DOMAIN.length + 1))
      expect(verifyFor(check.publicKey, DOMAIN, bytes(text), check.signature), name).toBe(expected[i])
    })
  })

  it('[G18] an acceptance is bound to its key and its exact message', async () => {
    const secret = new Uint8Array(32).fill(7)
    const publicKey = ed25519.getPublicKey(secret)
    const other = ed25519.getPublicKey(new Uint8Array(32).fill(8))
    const signature = signFor({ publicKey, sign: (m) => ed25519.sign(m, secret) }, DOMAIN, bytes('pay 5'))
    for (const [key, text] of [
      [publicKey, 'pay 500'],
      [other, 'pay 5'],
    ] as const) {
      expect(await preverifySignatures([checkOf(publicKey, 'pay 5', signature)], native)).toMatchObject({ accepted: 1 })
      expect(verifyFor(key, DOMAIN, bytes(text), signature)).toBe(false)
    }
    // The same bytes under another domain are another message.
    await preverifySignatures([checkOf(publicKey, 'pay 5', signature)], native)
    expect(verifyFor(publicKey, SIGNATURE_DOMAINS.ledgerConsent, bytes('pay 5'), signature)).toBe(false)
  })

  it('[G18] a platform that accepts anything, or has no Ed25519, is not used', async () => {
    const forged = checkOf(ANN.signer.publicKey, 'forged', new Uint8Array(64).fill(1))
    const accepting: NativeEd25519 = { verify: () => Promise.resolve(true) }
    const missing: NativeEd25519 = { verify: () => Promise.reject(new Error('NotSupportedError')) }
    expect(await preverifySignatures([forged], accepting)).toEqual({ native: false, checked: 0, accepted: 0 })
    expect(await preverifySignatures([forged], missing)).toEqual({ native: false, checked: 0, accepted: 0 })
    expect(await preverifySignatures([forged], webCryptoEd25519(null))).toMatchObject({ native: false })
    expect(verifyFor(forged.publicKey, DOMAIN, bytes('forged'), forged.signature)).toBe(false)
  })

  it('[G12] [G18] a read after a native pass runs no signature check of its own', async () => {
    const doc = newLedgerDoc()
    for (let i = 0; i < 50; i++) {
      recordContribution(doc, writerFor(ANN), { unit: 'hours', amount: 1 + i, memo: `Shift ${i}`, refs: [], createdAt: 1_000 + i })
    }
    const verifier = createLedgerVerifier()
    const pending = readPendingLedgerChecks(doc, verifier)
    expect(pending).toHaveLength(50)
    expect(await preverifySignatures(pending, native)).toEqual({ native: true, checked: 50, accepted: 50 })
    expect(readPendingLedgerChecks(doc, verifier)).toHaveLength(0)
    noble.verifies = 0
    const view = readLedger(doc, LEDGER, FULL_KEYRING, verifier)
    expect(noble.verifies).toBe(0)
    expect(view.entries.filter((e) => e.status === 'confirmed')).toHaveLength(50)
    // Without a pass, the same read checks every signature itself.
    readLedger(doc, LEDGER, FULL_KEYRING, createLedgerVerifier())
    expect(noble.verifies).toBe(50)
  })
})
