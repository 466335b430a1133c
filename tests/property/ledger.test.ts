import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  countersignEntry,
  createLedgerVerifier,
  deriveLedger,
  fromBase64url,
  grantCreditLine,
  readLedger,
  readLedgerContents,
  readNewlyVerified,
  recordTransfer,
  republishLedger,
  reverseEntry,
  ROOT_LEDGER_DECLINES,
  ROOT_LEDGER_ENTRIES,
  ROOT_LEDGER_SIGS,
  signEntry,
  signLedgerSignature,
  toBase64url,
  type EntryBody,
  type EntryEnvelope,
  type EntryId,
  type LedgerContents,
  type LedgerStoreContents,
  type LedgerView,
} from '../../shared/src'
import { must } from '../helpers/boards'
import { ANN, BEN, CAT, FULL_KEYRING, LEDGER, newLedgerDoc, writerFor, type TestMember } from '../helpers/ledger'
import { randomLedger, randomLedgerAction } from '../helpers/ledgerSim'
import { pick, seededRandom, shuffled } from '../helpers/prng'
import { createReplicaNetwork } from '../helpers/replicaNetwork'

/*
 * DESIGN 6.10 / SPEC [G5]-[G17] as properties. Replicas are real Y.Docs, one member's device each,
 * writing through the ledger ops; updates travel through the seeded network of replicaNetwork.ts
 * (random subsets, random order, duplicates, partitions). One seed decides everything.
 */

const DEVICES = [ANN, BEN, CAT] as const
const SEED = fc.integer({ min: 0, max: 0x7fffffff })

const view = (doc: Y.Doc): LedgerView => readLedger(doc, LEDGER, FULL_KEYRING)
/** The same view, derived by a verifier that has seen nothing: checks that caching changes nothing. */
const freshView = (doc: Y.Doc): LedgerView => deriveLedger(LEDGER, readLedgerContents(doc), FULL_KEYRING, createLedgerVerifier())

const othersOf = (device: TestMember) => DEVICES.filter((d) => d !== device)

const contentsOf = (doc: Y.Doc) => ({
  entries: new Map(doc.getMap(ROOT_LEDGER_ENTRIES).entries()),
  sigs: new Map(doc.getMap(ROOT_LEDGER_SIGS).entries()),
  declines: new Map(doc.getMap(ROOT_LEDGER_DECLINES).entries()),
})

describe('ledger replicas', () => {
  const simulate = (seed: number, steps: number) => {
    const random = seededRandom(seed)
    const docs = DEVICES.map((_, i) => {
      const doc = new Y.Doc()
      doc.clientID = 100 + i
      return doc
    })
    // Units are declared once, on one replica, and reach the others through the network.
    const network = createReplicaNetwork(docs, random)
    Y.applyUpdate(must(docs[0]), Y.encodeStateAsUpdate(newLedgerDoc(99)))
    for (const to of [1, 2]) network.deliver(0, to, true)
    let writes = 0
    for (let step = 0; step < steps; step++) {
      const r = pick(random, docs.length)
      const device = DEVICES[r] as TestMember
      if (randomLedgerAction(must(docs[r]), device, othersOf(device), random, 1_000 + step)) writes++
      const roll = random()
      if (roll < 0.4) network.deliverToOne()
      else if (roll < 0.5) network.togglePartitions()
    }
    network.deliverAll()
    return { docs, writes }
  }

  it('[G5] converge: any order, duplication and partition give every replica the same verified view', () => {
    fc.assert(
      fc.property(SEED, (seed) => {
        const { docs, writes } = simulate(seed, 40)
        expect(writes).toBeGreaterThan(0)
        const first = view(must(docs[0]))
        for (const doc of docs) {
          expect(view(doc)).toEqual(first)
          expect(freshView(doc)).toEqual(first)
        }
        expect(first.entries.every((e) => e.status !== 'invalid')).toBe(true)
      }),
      { numRuns: 8 },
    )
  })

  it('[G5] idempotent: applying every update again, in any order, changes nothing', () => {
    fc.assert(
      fc.property(SEED, (seed) => {
        const doc = randomLedger(seed, 30)
        const before = view(doc)
        const copy = new Y.Doc()
        const update = Y.encodeStateAsUpdate(doc)
        Y.applyUpdate(copy, update)
        Y.applyUpdate(copy, update)
        Y.applyUpdate(doc, Y.encodeStateAsUpdate(copy))
        expect(view(doc)).toEqual(before)
        expect(view(copy)).toEqual(before)
        // Deriving twice from the same set gives the same view.
        expect(deriveLedger(LEDGER, contentsOf(doc), FULL_KEYRING, createLedgerVerifier())).toEqual(before)
      }),
      { numRuns: 8 },
    )
  })
})

describe('ledger invariants', () => {
  it('the random ledgers reach every status, refusals, pledges, credit lines and reversals', () => {
    const seen = new Set<string>()
    for (let seed = 1; seed <= 4; seed++) {
      const v = view(randomLedger(seed, 60))
      for (const e of v.entries) seen.add(e.status)
      if (v.pledges.length > 0) seen.add('pledge')
      if (v.credit.some((c) => c.lines.length > 0)) seen.add('credit')
    }
    expect([...seen].sort()).toEqual(['confirmed', 'credit', 'declined', 'pending', 'pledge', 'reversed'])
  })

  it('[G5] transfers conserve each unit: member balances over transfers sum to 0', () => {
    fc.assert(
      fc.property(SEED, (seed) => {
        const random = seededRandom(seed)
        const doc = newLedgerDoc(1)
        // Generous credit both ways, so that transfers are not refused.
        for (const a of DEVICES) for (const b of othersOf(a)) for (const unit of ['EUR', 'hours']) {
          grantCreditLine(doc, writerFor(a), { to: b.id, unit, amount: 1_000_000, createdAt: 1 })
        }
        for (let step = 0; step < 25; step++) {
          const from = DEVICES[pick(random, 3)] as TestMember
          const to = othersOf(from)[pick(random, 2)] as TestMember
          const t = recordTransfer(doc, writerFor(from), {
            to: to.id,
            unit: random() < 0.5 ? 'EUR' : 'hours',
            amount: 1 + pick(random, 10_000),
            createdAt: 10 + step,
          })
          if (random() < 0.7) countersignEntry(doc, writerFor(to), t)
        }
        const v = view(doc)
        for (const unit of new Set(v.balances.map((b) => b.unit))) {
          expect(v.balances.filter((b) => b.unit === unit).reduce((s, b) => s + b.balance, 0n)).toBe(0n)
        }
        expect(v.pool).toEqual([])
      }),
      { numRuns: 10 },
    )
  })

  it('[G6] an entry lacking a party’s signature counts 0: balances equal those of the fully signed entries alone', () => {
    fc.assert(
      fc.property(SEED, (seed) => {
        const doc = randomLedger(seed, 40)
        const v = view(doc)
        for (const e of v.entries) {
          if (e.parties.some((p) => !e.signedBy.includes(p))) expect(e.counts).toBe(false)
        }
        // Independent model: sum over entries whose every party signed, not declined, not reversed.
        const expected = new Map<string, bigint>()
        const add = (unit: string, member: string | null, delta: bigint) => {
          if (member === null) return
          const key = `${unit} ${member}`
          expected.set(key, (expected.get(key) ?? 0n) + delta)
        }
        for (const e of v.entries) {
          const b = e.body
          if (b === null || e.status === 'invalid' || e.reversedBy.length > 0) continue
          if (!e.parties.every((p) => e.signedBy.includes(p))) continue
          const amount = BigInt(b.amount)
          if (b.type === 'contribution') add(b.unit, b.from, amount)
          if (b.type === 'usage') add(b.unit, b.from, -amount)
          if (b.type === 'transfer') {
            add(b.unit, b.from, -amount)
            add(b.unit, b.to, amount)
          }
        }
        const actual = new Map(v.balances.map((b) => [`${b.unit} ${b.member}`, b.balance] as const))
        expect(actual).toEqual(expected)
      }),
      { numRuns: 10 },
    )
  })

  it('[G7] declines never move a balance: every party declining every entry leaves balances and pool as they were', () => {
    fc.assert(
      fc.property(SEED, (seed) => {
        const doc = randomLedger(seed, 30)
        const before = view(doc)
        const contents = contentsOf(doc)
        for (const e of before.entries) {
          if (e.envelope === null) continue
          for (const device of DEVICES.filter((d) => e.parties.includes(d.id))) {
            contents.declines.set(`${e.id}:${device.key}`, signLedgerSignature(device.signer, 'decline', e.envelope.body))
          }
        }
        const after = deriveLedger(LEDGER, contents, FULL_KEYRING, createLedgerVerifier())
        expect(after.balances).toEqual(before.balances)
        expect(after.pool).toEqual(before.pool)
        for (const e of before.entries) if (e.status === 'confirmed') expect(after.byId.get(e.id)?.status).toBe('confirmed')
      }),
      { numRuns: 4 },
    )
  })

  it('[G9] E ∪ {reversal(e)} has the balances of E \\ {e}', () => {
    fc.assert(
      fc.property(SEED, (seed) => {
        const doc = randomLedger(seed, 40)
        const random = seededRandom(seed ^ 0x9e3779b9)
        const candidates = view(doc).entries.filter(
          (e) => e.counts && e.reversedBy.length === 0 && !view(doc).entries.some((r) => r.body?.refs[0] === e.id),
        )
        const e = candidates[pick(random, candidates.length)]
        if (e === undefined) return
        const without = contentsOf(doc)
        without.entries.delete(e.id)
        const body = must(e.body)
        const party = DEVICES.find((d) => d.id === body.from) as TestMember
        const r = reverseEntry(doc, writerFor(party), { target: e.id as EntryId, createdAt: 9_999 })
        const other = DEVICES.find((d) => d.id === body.to)
        if (other !== undefined) countersignEntry(doc, writerFor(other), r)
        const withReversal = deriveLedger(LEDGER, contentsOf(doc), FULL_KEYRING, createLedgerVerifier())
        const withoutEntry = deriveLedger(LEDGER, without, FULL_KEYRING, createLedgerVerifier())
        expect(withReversal.balances).toEqual(withoutEntry.balances)
        expect(withReversal.pool).toEqual(withoutEntry.pool)
      }),
      { numRuns: 10 },
    )
  })
})

describe('ledger verification', () => {
  const flipBit = (bytes: Uint8Array, bit: number): Uint8Array => {
    const out = Uint8Array.from(bytes)
    const i = Math.floor(bit / 8) % out.length
    out[i] = (out[i] as number) ^ (1 << (bit % 8))
    return out
  }

  it('[G4] any 1-bit change of an entry’s stored bytes, signer or signature, or of a consent, is rejected', () => {
    const doc = randomLedger(7, 40)
    const stored = contentsOf(doc)
    const ids = [...stored.entries.keys()].sort()
    const sigKeys = [...stored.sigs.keys()].sort()
    expect(sigKeys.length).toBeGreaterThan(0)
    // One verifier for every run: it re-checks exactly what changed (and the original afterwards).
    const verifier = createLedgerVerifier()
    deriveLedger(LEDGER, contentsOf(doc), FULL_KEYRING, verifier)
    fc.assert(
      fc.property(
        fc.nat(),
        fc.constantFrom('body', 'signer', 'sig', 'consent'),
        fc.nat({ max: 8 * 600 }),
        (which, field, bit) => {
          const contents: LedgerContents & { entries: Map<string, unknown>; sigs: Map<string, unknown> } = {
            ...contentsOf(doc),
          }
          if (field === 'consent') {
            const key = sigKeys[which % sigKeys.length] as string
            const sig = must(fromBase64url(stored.sigs.get(key) as string))
            contents.sigs.set(key, toBase64url(flipBit(sig, bit)))
            const derived = deriveLedger(LEDGER, contents, FULL_KEYRING, verifier)
            expect(derived.badSignatures.map((b) => b.key)).toEqual([key])
            const entry = derived.byId.get(key.split(':')[0] as string)
            expect(entry?.consents.some((s) => s.key === key.split(':')[1])).toBe(false)
            return
          }
          const id = ids[which % ids.length] as string
          const envelope = stored.entries.get(id) as EntryEnvelope
          let changed: EntryEnvelope
          if (field === 'body') {
            const bytes = flipBit(new TextEncoder().encode(envelope.body), bit)
            changed = { ...envelope, body: new TextDecoder().decode(bytes) }
          } else {
            changed = { ...envelope, [field]: toBase64url(flipBit(must(fromBase64url(envelope[field])), bit)) }
          }
          expect(verifier.checkEntry(id, changed).ok).toBe(false)
          contents.entries.set(id, changed)
          const derived = deriveLedger(LEDGER, contents, FULL_KEYRING, verifier)
          expect(derived.byId.get(id)).toMatchObject({ status: 'invalid', counts: false })
        },
      ),
      { numRuns: 200 },
    )
  })

  it('[G8] forks are detected exactly: the flagged (author, seq) pairs are the forked ones', () => {
    fc.assert(
      fc.property(SEED, (seed) => {
        const random = seededRandom(seed)
        const entries = new Map<string, EntryEnvelope>()
        const forked = new Set<string>()
        for (const device of DEVICES) {
          let prev: EntryId | null = null
          const length = 1 + pick(random, 6)
          for (let seq = 1; seq <= length; seq++) {
            const body = (amount: number): EntryBody => ({
              v: 1,
              ledger: LEDGER,
              type: 'contribution',
              unit: 'EUR',
              amount,
              from: device.id,
              to: null,
              refs: [],
              author: device.key,
              seq,
              prev,
              createdAt: seq,
              memo: '',
            })
            const main = signEntry(device.signer, body(100 + seq))
            entries.set(main.id, main.envelope)
            if (random() < 0.25) {
              const copies = 1 + pick(random, 2)
              for (let c = 1; c <= copies; c++) {
                const fork = signEntry(device.signer, body(100 + seq + 1_000 * c))
                entries.set(fork.id, fork.envelope)
              }
              forked.add(`${device.key}#${seq}`)
            }
            prev = main.id
          }
        }
        const order = shuffled(random, [...entries])
        const v = deriveLedger(LEDGER, { entries: order, sigs: [], declines: [] }, FULL_KEYRING, createLedgerVerifier())
        expect(new Set(v.equivocations.map((q) => `${q.author}#${q.seq}`))).toEqual(forked)
        for (const q of v.equivocations) for (const id of q.ids) expect(v.byId.get(id)?.equivocation).toBe(true)
        expect(v.entries.filter((e) => e.equivocation).length).toBe(v.equivocations.reduce((s, q) => s + q.ids.length, 0))
        expect(v.entries.every((e) => e.status === 'confirmed')).toBe(true)
      }),
      { numRuns: 15 },
    )
  })

  it('[G17] rogue deletion: after re-publication from the local stores, balances are unchanged everywhere', () => {
    fc.assert(
      fc.property(SEED, (seed) => {
        const random = seededRandom(seed)
        const source = randomLedger(seed, 30)
        const docs = [0, 1, 2, 3].map((i) => {
          const doc = new Y.Doc()
          doc.clientID = 200 + i
          Y.applyUpdate(doc, Y.encodeStateAsUpdate(source))
          return doc
        })
        const before = view(source)
        // Each honest replica keeps what it verified in its own store (here: plain maps).
        const stores: LedgerStoreContents[] = docs.slice(0, 3).map((doc) =>
          readNewlyVerified(doc, LEDGER, { entries: new Map(), sigs: new Map(), declines: new Map() }),
        )
        const network = createReplicaNetwork(docs, random)
        // Replica 3 is rogue: it deletes random entries and signatures (Yjs deletions are unattributed).
        const rogue = must(docs[3])
        rogue.transact(() => {
          for (const name of [ROOT_LEDGER_ENTRIES, ROOT_LEDGER_SIGS, ROOT_LEDGER_DECLINES]) {
            for (const key of [...rogue.getMap(name).keys()]) if (random() < 0.4) rogue.getMap(name).delete(key)
          }
        })
        network.deliverAll()
        // Honest replicas notice and re-publish; some of them, in any order.
        const reports = shuffled(random, [0, 1, 2]).map((i) => republishLedger(must(docs[i]), must(stores[i])))
        network.deliverAll()
        for (const doc of docs) {
          expect(view(doc).balances).toEqual(before.balances)
          expect(view(doc).entries).toEqual(before.entries)
        }
        const first = must(reports[0])
        expect(first.entries + first.sigs + first.declines).toBeGreaterThanOrEqual(0)
      }),
      { numRuns: 8 },
    )
  })
})
