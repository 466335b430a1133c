import { ed25519 } from '@noble/curves/ed25519.js'
import { pathToFileURL } from 'node:url'
import * as Y from 'yjs'
import {
  createLedgerVerifier,
  keyringFromMembers,
  memberIdForKey,
  readLedger,
  ROOT_LEDGER_ENTRIES,
  secretKeySigner,
  signEntry,
  toBase64url,
  type EntryEnvelope,
  type EntryId,
  type LedgerId,
  type MemberId,
  type Signer,
} from '../shared/src'

/**
 * Ledger verification cost (SPEC [G4], [G12]).
 *
 * - floor: the raw Ed25519 verify rate of @noble/curves on this machine (distinct 300-byte
 *   messages, as large as a typical entry body), which no ledger verification can beat;
 * - full: a device meeting a ledger of N entries for the first time: every entry checked (hash,
 *   canonical form, signature) and the whole view derived (statuses, chains, balances);
 * - incremental: 100 new entries arrive on top of N already checked: only those 100 are verified,
 *   then the view is derived again;
 * - derive: the view derived again with nothing new (the per-change cost that remains).
 *
 * Entries are contributions by 10 devices (one signature each, so entries/s compares directly with
 * verifies/s), written straight into a Y.Doc's `entries` map as sync would deliver them.
 * N = 100,000 (quick: 2,000).
 */
export interface LedgerVerificationFigures {
  readonly entries: number
  readonly incrementalNew: number
  /** Raw signature verifications per second (the floor). */
  readonly rawVerifyPerSecond: number
  readonly fullMs: number
  readonly fullEntriesPerSecond: number
  /** Full verification rate as a fraction of the raw verify rate (1 = at the floor). */
  readonly fullVsFloor: number
  readonly incrementalMs: number
  /** Signature checks the incremental pass actually ran (should equal incrementalNew). */
  readonly incrementalVerified: number
  readonly deriveOnlyMs: number
  readonly signingMs: number
}

const LEDGER = 'BenchLedgerBenchLedger' as LedgerId
const DEVICES = 10

const devices = (): { signer: Signer; key: string; member: MemberId }[] =>
  Array.from({ length: DEVICES }, (_, i) => {
    const signer = secretKeySigner(new Uint8Array(32).fill(i + 1))
    return { signer, key: toBase64url(signer.publicKey), member: memberIdForKey(signer.publicKey) }
  })

/** Signs `count` contributions continuing each device's chain from `heads`. */
const signEntries = (
  all: ReturnType<typeof devices>,
  heads: Map<string, { seq: number; prev: EntryId | null }>,
  count: number,
  offset: number,
): [EntryId, EntryEnvelope][] => {
  const out: [EntryId, EntryEnvelope][] = []
  for (let i = 0; i < count; i++) {
    const device = all[i % all.length] as (typeof all)[number]
    const head = heads.get(device.key) ?? { seq: 0, prev: null }
    const { id, envelope } = signEntry(device.signer, {
      v: 1,
      ledger: LEDGER,
      type: 'contribution',
      unit: 'hours',
      amount: 1 + ((offset + i) % 7),
      from: device.member,
      to: null,
      refs: [],
      author: device.key,
      seq: head.seq + 1,
      prev: head.prev,
      createdAt: 1_700_000_000_000 + offset + i,
      memo: `Shift ${offset + i} at the tool library`,
    })
    heads.set(device.key, { seq: head.seq + 1, prev: id })
    out.push([id, envelope])
  }
  return out
}

const rawVerifyRate = (samples: number): number => {
  const secret = ed25519.utils.randomSecretKey()
  const publicKey = ed25519.getPublicKey(secret)
  const messages = Array.from({ length: samples }, (_, i) => {
    const m = new Uint8Array(300)
    m.set(new TextEncoder().encode(`message ${i}`))
    return m
  })
  const sigs = messages.map((m) => ed25519.sign(m, secret))
  const start = performance.now()
  for (let i = 0; i < samples; i++) {
    if (!ed25519.verify(sigs[i] as Uint8Array, messages[i] as Uint8Array, publicKey)) throw new Error('verify failed')
  }
  return samples / ((performance.now() - start) / 1000)
}

export async function runLedgerVerificationBench(opts: { quick: boolean }): Promise<LedgerVerificationFigures> {
  const entries = opts.quick ? 2_000 : 100_000
  const incrementalNew = 100
  const all = devices()
  const keyring = keyringFromMembers(all.map((d) => ({ id: d.member, devices: [d.key] })))
  const heads = new Map<string, { seq: number; prev: EntryId | null }>()

  const signStart = performance.now()
  const base = signEntries(all, heads, entries, 0)
  const fresh = signEntries(all, heads, incrementalNew, entries)
  const signingMs = performance.now() - signStart

  const rawVerifyPerSecond = rawVerifyRate(opts.quick ? 500 : 5_000)

  const doc = new Y.Doc()
  const yEntries = doc.getMap<EntryEnvelope>(ROOT_LEDGER_ENTRIES)
  doc.transact(() => {
    for (const [id, envelope] of base) yEntries.set(id, envelope)
  })

  const verifier = createLedgerVerifier()
  let start = performance.now()
  const full = readLedger(doc, LEDGER, keyring, verifier)
  const fullMs = performance.now() - start
  if (full.entries.length !== entries || full.entries.some((e) => e.status !== 'confirmed')) {
    throw new Error('full verification did not confirm every entry')
  }

  doc.transact(() => {
    for (const [id, envelope] of fresh) yEntries.set(id, envelope)
  })
  const before = verifier.verified.entries
  start = performance.now()
  const incremental = readLedger(doc, LEDGER, keyring, verifier)
  const incrementalMs = performance.now() - start
  const incrementalVerified = verifier.verified.entries - before
  if (incremental.entries.length !== entries + incrementalNew) throw new Error('incremental view is missing entries')

  start = performance.now()
  readLedger(doc, LEDGER, keyring, verifier)
  const deriveOnlyMs = performance.now() - start

  const fullEntriesPerSecond = entries / (fullMs / 1000)
  return {
    entries,
    incrementalNew,
    rawVerifyPerSecond: Math.round(rawVerifyPerSecond),
    fullMs: Math.round(fullMs),
    fullEntriesPerSecond: Math.round(fullEntriesPerSecond),
    fullVsFloor: Math.round((fullEntriesPerSecond / rawVerifyPerSecond) * 1000) / 1000,
    incrementalMs: Math.round(incrementalMs * 10) / 10,
    incrementalVerified,
    deriveOnlyMs: Math.round(deriveOnlyMs * 10) / 10,
    signingMs: Math.round(signingMs),
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes('--quick')
  const figures = await runLedgerVerificationBench({ quick })
  console.log(JSON.stringify(figures, null, 2))
}
