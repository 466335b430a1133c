import { ed25519 } from '@noble/curves/ed25519.js'
import { pathToFileURL } from 'node:url'
import * as Y from 'yjs'
import { webCryptoEd25519 } from '../client/src/ledger/webCryptoEd25519'
import { nodeSigner } from './load/nodeSigner'
import { benchDevices, signContributions, type ChainHeads } from './load/signedLedger'
import {
  createLedgerVerifier,
  keyringFromMembers,
  preverifySignatures,
  readLedger,
  readPendingLedgerChecks,
  ROOT_LEDGER_ENTRIES,
  type EntryEnvelope,
  type LedgerId,
  type LedgerVerifier,
} from '../shared/src'

/**
 * Ledger verification cost (SPEC [G4], [G12], [G18]), the way the app does it: a native
 * (WebCrypto) pass over everything unchecked, then the read.
 *
 * - floor: the raw Ed25519 verify rate of the library doing the work, WebCrypto (Node's, here;
 *   distinct 300-byte messages, as large as a typical entry body, 512 in flight as in the pass);
 *   also @noble/curves' rate, the rules' verifier of record, which checks on its own whatever the
 *   native pass did not accept;
 * - full: a device meeting a ledger of N entries for the first time: every entry checked (hash,
 *   canonical form, signature) and the whole view derived (statuses, chains, balances);
 * - full without the native pass (noble only), on the first `nobleSample` entries;
 * - incremental: 100 new entries arrive on top of N already checked: only those 100 are verified,
 *   then the view is derived again;
 * - derive: the view derived again with nothing new (the per-change cost that remains).
 *
 * Entries are contributions by 10 devices (one signature each, so entries/s compares directly with
 * verifies/s), written straight into a Y.Doc's `entries` map as sync would deliver them. They are
 * signed with Node's own Ed25519 (deterministic: the same bytes noble would make, checked on the
 * first one), which only makes setting up faster. N = 100,000 (quick: 2,000).
 */
export interface LedgerVerificationFigures {
  readonly entries: number
  readonly incrementalNew: number
  /** Raw WebCrypto signature verifications per second (the floor). */
  readonly rawVerifyPerSecond: number
  /** Raw @noble/curves verifications per second (the rules' own verifier). */
  readonly rawNobleVerifyPerSecond: number
  /** Entries verified without the native pass, and the rate. */
  readonly nobleSample: number
  readonly nobleOnlyEntriesPerSecond: number
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
const signedSamples = (samples: number) => {
  const secret = ed25519.utils.randomSecretKey()
  const signer = nodeSigner(secret)
  const messages = Array.from({ length: samples }, (_, i) => {
    const m = new Uint8Array(300)
    m.set(new TextEncoder().encode(`message ${i}`))
    return m
  })
  return { publicKey: signer.publicKey, messages, sigs: messages.map((m) => signer.sign(m)) }
}

const rawNobleRate = (samples: number): number => {
  const { publicKey, messages, sigs } = signedSamples(samples)
  const start = performance.now()
  for (let i = 0; i < samples; i++) {
    if (!ed25519.verify(sigs[i] as Uint8Array, messages[i] as Uint8Array, publicKey)) throw new Error('verify failed')
  }
  return samples / ((performance.now() - start) / 1000)
}

const IN_FLIGHT = 512

const rawNativeRate = async (samples: number): Promise<number> => {
  const { publicKey, messages, sigs } = signedSamples(samples)
  const native = webCryptoEd25519()
  await native.verify(publicKey, messages[0] as Uint8Array, sigs[0] as Uint8Array) // key import, once
  const start = performance.now()
  for (let from = 0; from < samples; from += IN_FLIGHT) {
    const batch = messages.slice(from, from + IN_FLIGHT)
    const verdicts = await Promise.all(batch.map((m, i) => native.verify(publicKey, m, sigs[from + i] as Uint8Array)))
    if (verdicts.includes(false)) throw new Error('verify failed')
  }
  return samples / ((performance.now() - start) / 1000)
}

/** What the app does on a change: a native pass over what is unchecked, then the read. */
const appRead = async (doc: Y.Doc, keyring: ReturnType<typeof keyringFromMembers>, verifier: LedgerVerifier) => {
  await preverifySignatures(readPendingLedgerChecks(doc, verifier), webCryptoEd25519())
  return readLedger(doc, LEDGER, keyring, verifier)
}

export async function runLedgerVerificationBench(opts: { quick: boolean }): Promise<LedgerVerificationFigures> {
  const entries = opts.quick ? 2_000 : 100_000
  const incrementalNew = 100
  const all = benchDevices(10, 1)
  const keyring = keyringFromMembers(all.map((d) => ({ id: d.member, devices: [d.key] })))
  const heads: ChainHeads = new Map()

  const signStart = performance.now()
  const base = signContributions(LEDGER, all, heads, entries)
  const fresh = signContributions(LEDGER, all, heads, incrementalNew, entries)
  const signingMs = performance.now() - signStart

  const rawVerifyPerSecond = await rawNativeRate(opts.quick ? 2_000 : 20_000)
  const rawNobleVerifyPerSecond = rawNobleRate(opts.quick ? 300 : 2_000)

  const doc = new Y.Doc()
  const yEntries = doc.getMap<EntryEnvelope>(ROOT_LEDGER_ENTRIES)
  doc.transact(() => {
    for (const [id, envelope] of base) yEntries.set(id, envelope)
  })

  // Without the native pass, on a sample: what a device without WebCrypto Ed25519 would pay.
  const nobleSample = Math.min(entries, opts.quick ? 300 : 5_000)
  const sampleDoc = new Y.Doc()
  sampleDoc.transact(() => {
    for (const [id, envelope] of base.slice(0, nobleSample)) sampleDoc.getMap<EntryEnvelope>(ROOT_LEDGER_ENTRIES).set(id, envelope)
  })
  let start = performance.now()
  const sampleView = readLedger(sampleDoc, LEDGER, keyring, createLedgerVerifier())
  const nobleOnlyEntriesPerSecond = nobleSample / ((performance.now() - start) / 1000)
  if (sampleView.entries.some((e) => e.status !== 'confirmed')) throw new Error('noble-only verification did not confirm every entry')

  const verifier = createLedgerVerifier()
  start = performance.now()
  const full = await appRead(doc, keyring, verifier)
  const fullMs = performance.now() - start
  if (full.entries.length !== entries || full.entries.some((e) => e.status !== 'confirmed')) {
    throw new Error('full verification did not confirm every entry')
  }

  doc.transact(() => {
    for (const [id, envelope] of fresh) yEntries.set(id, envelope)
  })
  const before = verifier.verified.entries
  start = performance.now()
  const incremental = await appRead(doc, keyring, verifier)
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
    rawNobleVerifyPerSecond: Math.round(rawNobleVerifyPerSecond),
    nobleSample,
    nobleOnlyEntriesPerSecond: Math.round(nobleOnlyEntriesPerSecond),
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
