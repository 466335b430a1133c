import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import {
  createLedgerVerifier,
  fromBase64url,
  preverifySignatures,
  readLedger,
  readPendingLedgerChecks,
  ROOT_LEDGER_DECLINES,
  ROOT_LEDGER_ENTRIES,
  ROOT_LEDGER_SIGS,
  toBase64url,
  type EntryEnvelope,
} from '../../shared/src'
import { webCryptoEd25519 } from '../../client/src/ledger/webCryptoEd25519'
import { must } from '../helpers/boards'
import { FULL_KEYRING, LEDGER, plainView } from '../helpers/ledger'
import { randomLedger } from '../helpers/ledgerSim'
import { pick, seededRandom } from '../helpers/prng'

/*
 * SPEC [G18]: a native (WebCrypto) pass before the read changes no verdict. Seeded ledgers written
 * through the ops, then damaged at random (bit flips in bodies, signers, signatures, consents and
 * declines; signatures moved to other entries or offered under the other domain), are read twice by verifiers that have seen
 * nothing: once straight, once after Node's WebCrypto pre-verified everything pending.
 */

const native = webCryptoEd25519()

const flipBit = (text: string, random: () => number): string => {
  const bytes = must(fromBase64url(text))
  const bit = pick(random, bytes.length * 8)
  bytes[bit >> 3] = (bytes[bit >> 3] as number) ^ (1 << (bit & 7))
  return toBase64url(bytes)
}

/** Damages about a third of what the doc holds, in place. */
const damage = (doc: Y.Doc, random: () => number): void => {
  const yEntries = doc.getMap<EntryEnvelope>(ROOT_LEDGER_ENTRIES)
  const ids = [...yEntries.keys()].sort()
  doc.transact(() => {
    for (const id of ids) {
      if (random() > 0.33) continue
      const envelope = must(yEntries.get(id))
      const field = pick(random, 3)
      if (field === 0) {
        const body = [...envelope.body]
        const i = pick(random, body.length)
        body[i] = body[i] === '1' ? '2' : '1'
        yEntries.set(id, { ...envelope, body: body.join('') })
      } else if (field === 1) yEntries.set(id, { ...envelope, sig: flipBit(envelope.sig, random) })
      else yEntries.set(id, { ...envelope, signer: flipBit(envelope.signer, random) })
    }
    for (const root of [ROOT_LEDGER_SIGS, ROOT_LEDGER_DECLINES]) {
      const ySigs = doc.getMap<string>(root)
      const keys = [...ySigs.keys()].sort()
      for (const key of keys) {
        const roll = random()
        if (roll < 0.2) ySigs.set(key, flipBit(must(ySigs.get(key)), random))
        else if (roll < 0.3 && ids.length > 1) {
          // The same signature under another entry's key: valid bytes, wrong message.
          const other = ids[pick(random, ids.length)] as string
          ySigs.set(`${other}:${key.split(':')[1] as string}`, must(ySigs.get(key)))
        }
      }
    }
    // A decline's signature offered as a consent: valid bytes under the other domain. Consents are
    // read before declines, so a memory not bound to the message would let it through.
    const yDeclines = doc.getMap<string>(ROOT_LEDGER_DECLINES)
    for (const key of [...yDeclines.keys()].sort()) {
      if (random() < 0.5) doc.getMap<string>(ROOT_LEDGER_SIGS).set(key, must(yDeclines.get(key)))
    }
  })
}

describe('native pre-verification', () => {
  it('[G18] every view is the same with and without a WebCrypto pass, whatever was damaged', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 0x7fffffff }), async (seed) => {
        const random = seededRandom(seed)
        const doc = randomLedger(seed, 25)
        damage(doc, random)
        const straight = plainView(readLedger(doc, LEDGER, FULL_KEYRING, createLedgerVerifier()))
        const verifier = createLedgerVerifier()
        const pending = readPendingLedgerChecks(doc, verifier)
        const report = await preverifySignatures(pending, native)
        expect(report.native).toBe(true)
        expect(report.accepted).toBeGreaterThan(0)
        const viaNative = plainView(readLedger(doc, LEDGER, FULL_KEYRING, verifier))
        expect(viaNative).toEqual(straight)
      }),
      { numRuns: 25 },
    )
  })
})
