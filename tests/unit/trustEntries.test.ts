import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  canonicalJson,
  encodeEntry,
  entryHashOf,
  entrySigningBytes,
  EntryGraph,
  ingestEntries,
  MAX_DEPS,
  nextPosition,
  publishEntries,
  restoreEntries,
  signEntryAt,
  toBase64url,
  verifyEnvelope,
  writeEntry,
  ySignedEntriesOf,
  type ChainEnvelope,
  type Entry,
  type EntryHash,
} from '../../shared/src'
import { admit, device, foundTestBoard, keyOf, profile, syncGraphs } from '../helpers/trust'

/** Re-signs edited entry text with `signer`, as a faulty peer holding that key could. */
const resign = (text: string, kind: Entry['kind'], signerLabel: string): ChainEnvelope => ({
  e: text,
  s: toBase64url(device(signerLabel).sign(entrySigningBytes(kind, text))),
})

const founded = foundTestBoard()
const { board } = founded

describe('signed entries', () => {
  it('[E1] an entry is canonical JSON signed under its kind’s domain; its hash covers the domain and bytes', () => {
    const graph = founded.graph()
    const written = writeEntry(graph, device('founder'), 'profile', profile('Ada L.'), 5)
    expect(written.envelope.e).toBe(canonicalJson(JSON.parse(written.envelope.e)))
    expect(written.hash).toBe(entryHashOf('profile', written.envelope.e))
    expect(verifyEnvelope(written.envelope, board)).toMatchObject({ hash: written.hash })
    // The same bytes under another kind's domain are another hash, and the signature does not carry over.
    const asOtherKind = written.envelope.e.replace('"kind":"profile"', '"kind":"revoke"')
    expect(verifyEnvelope({ e: asOtherKind, s: written.envelope.s }, board)).toEqual(expect.any(String))
  })

  it('[E1] non-canonical text, extra fields, unsorted deps or a bad chain position are refused', () => {
    const graph = founded.graph()
    const written = writeEntry(graph, device('founder'), 'profile', profile('Ada'), 5)
    const parsed = JSON.parse(written.envelope.e) as Record<string, unknown>
    const variants: [string, string][] = [
      [JSON.stringify(parsed, null, 1), 'not canonical'],
      [canonicalJson({ ...parsed, extra: 1 } as never), 'wrong fields'],
      [canonicalJson({ ...parsed, seq: 0 } as never), 'sequence'],
      [canonicalJson({ ...parsed, seq: 1 } as never), 'previous-entry'],
      [canonicalJson({ ...parsed, kind: 'party' } as never), 'unknown kind'],
      [canonicalJson({ ...parsed, at: -1 } as never), 'time'],
      [canonicalJson({ ...parsed, deps: [written.hash, founded.genesis.hash].sort().reverse() } as never), 'sorted'],
      [canonicalJson({ ...parsed, deps: [parsed.prev] } as never), 'previous entry as a dependency'],
      [canonicalJson({ ...parsed, deps: Array.from({ length: MAX_DEPS + 1 }, (_, i) => toBase64url(new Uint8Array(32).fill(i))).sort() } as never), 'dependencies'],
    ]
    for (const [text, reason] of variants) {
      const verdict = verifyEnvelope(resign(text, 'profile', 'founder'), board)
      expect(verdict, text).toEqual(expect.stringContaining(reason))
    }
  })

  it('[E2] a payload that does not match its kind is refused', () => {
    const position = nextPosition(founded.graph(), keyOf(device('founder')))
    expect(() => signEntryAt(device('founder'), board, 'profile', { name: '', color: '#336699' }, position, 5)).toThrow(/Cannot sign/)
    const good = signEntryAt(device('founder'), board, 'profile', profile('Ada'), position, 5)
    const bad = good.envelope.e.replace('"color":"#336699"', '"color":"red"')
    expect(verifyEnvelope(resign(bad, 'profile', 'founder'), board)).toMatch(/colour/)
  })

  it('[E3] an entry of another board, a replayed genesis, or a signature by another key is refused', () => {
    const other = foundTestBoard(device('other-founder'), { name: 'Other board' })
    const otherGraph = other.graph()
    const replay = writeEntry(otherGraph, device('other-founder'), 'profile', profile('Bo'), 5)
    expect(verifyEnvelope(replay.envelope, board)).toBe('entry belongs to another board')
    expect(verifyEnvelope(other.genesis.envelope, board)).toBe('entry belongs to another board')
    expect(founded.genesis.entry.board).toBe(board)
    const written = writeEntry(founded.graph(), device('founder'), 'profile', profile('Ada'), 5)
    expect(verifyEnvelope({ e: written.envelope.e, s: resign(written.envelope.e, 'profile', 'mallory').s }, board)).toBe(
      'signature does not verify',
    )
    const flipped = written.envelope.e.replace('"Ada"', '"Adb"')
    expect(verifyEnvelope({ e: flipped, s: written.envelope.s }, board)).toBe('signature does not verify')
  })

  it('[E4] entries are published under their hash; junk and misplaced values are reported on ingest', () => {
    const graph = founded.graph()
    const doc = new Y.Doc()
    const join = admit(graph, device('founder'), device('bo'), 'Bo')
    expect(publishEntries(doc, graph.ordered())).toBe(3)
    expect(publishEntries(doc, [founded.genesis, join])).toBe(0)
    const yEntries = ySignedEntriesOf(doc)
    yEntries.set('junk', 42)
    yEntries.set('copy' as EntryHash, join.envelope)
    const reader = new EntryGraph(board)
    const report = ingestEntries(doc, reader)
    expect(report.added).toBe(3)
    expect(report.refused).toEqual([{ key: 'junk', reason: 'value is not a signed entry' }])
    expect(report.misplaced).toEqual(['copy'])
    expect(reader.size).toBe(3)
  })

  it('[E5] a device writes its next seq after its own latest entry, naming the heads it holds', () => {
    const graph = founded.graph()
    const join = admit(graph, device('founder'), device('bo'), 'Bo')
    const byFounder = writeEntry(graph, device('founder'), 'profile', profile('Ada'), 9)
    expect(byFounder.entry.seq).toBe(3)
    expect(byFounder.entry.deps).toEqual([join.hash])
    const byBo = writeEntry(graph, device('bo'), 'profile', profile('Bo B.'), 9)
    expect(byBo.entry).toMatchObject({ seq: 2, prev: join.hash, deps: [byFounder.hash] })
  })

  it('[E6] an entry whose causal past is incomplete waits, and is judged once the past arrives', () => {
    const source = founded.graph()
    const join = admit(source, device('founder'), device('bo'), 'Bo')
    const later = writeEntry(source, device('bo'), 'profile', profile('Bo B.'), 9)
    const target = new EntryGraph(board)
    target.add(later.envelope)
    target.add(join.envelope)
    expect(target.ordered()).toHaveLength(0)
    expect(target.incomplete().map((i) => i.hash).sort()).toEqual([join.hash, later.hash].sort())
    syncGraphs(source, target)
    expect(target.ordered().map((n) => n.hash)).toEqual(source.ordered().map((n) => n.hash))
    expect(target.incomplete()).toEqual([])
  })

  it('[E7] two entries with one (device, seq) are both kept and reported as a fork', () => {
    const graph = founded.graph()
    const position = nextPosition(graph, keyOf(device('founder')))
    const a = signEntryAt(device('founder'), board, 'profile', profile('Ada'), position, 5)
    const b = signEntryAt(device('founder'), board, 'profile', profile('Ada Two'), position, 5)
    graph.addVerified(a)
    graph.addVerified(b)
    expect(graph.forks()).toEqual([{ device: keyOf(device('founder')), seq: 2, hashes: [a.hash, b.hash].sort() }])
    expect(() => writeEntry(graph, device('founder'), 'profile', profile('Ada'), 6)).toThrow(/forked/)
  })

  it('[E7] an entry whose prev is not its device’s previous entry has a broken chain', () => {
    const graph = founded.graph()
    const join = admit(graph, device('founder'), device('bo'), 'Bo')
    // Bo's device signs seq 2 naming the founder's genesis as its previous entry.
    const broken = signEntryAt(device('bo'), board, 'profile', profile('Bo'), { seq: 2, prev: founded.genesis.hash, deps: [join.hash] }, 9)
    graph.addVerified(broken)
    expect(graph.get(broken.hash)?.chainOk).toBe(false)
    expect(graph.rootOf(broken.hash)).toBeNull()
  })

  it('[E8] a verified entry deleted or rewritten in the doc is put back, and counted', () => {
    const graph = founded.graph()
    const doc = new Y.Doc()
    const join = admit(graph, device('founder'), device('bo'), 'Bo')
    publishEntries(doc, [founded.genesis, ...graph.ordered()])
    const yEntries = ySignedEntriesOf(doc)
    yEntries.delete(join.hash)
    yEntries.set(founded.genesis.hash, { e: founded.genesis.envelope.e.replace('Ada', 'Eve'), s: founded.genesis.envelope.s })
    expect(ingestEntries(doc, graph).refused).toHaveLength(1)
    expect(restoreEntries(doc, graph)).toBe(2)
    expect(restoreEntries(doc, graph)).toBe(0)
    expect(yEntries.get(join.hash)).toEqual(join.envelope)
    expect(yEntries.get(founded.genesis.hash)).toEqual(founded.genesis.envelope)
  })

  it('[E9] the canonical order is by height then hash, whatever order entries arrived in', () => {
    const source = founded.graph()
    admit(source, device('founder'), device('bo'), 'Bo')
    admit(source, device('founder'), device('cy'), 'Cy')
    writeEntry(source, device('bo'), 'profile', profile('Bo B.'), 9)
    const envelopes = [...source.envelopes()].map(([, e]) => e)
    const forward = new EntryGraph(board)
    const backward = new EntryGraph(board)
    for (const e of envelopes) forward.add(e)
    for (const e of [...envelopes].reverse()) backward.add(e)
    const order = forward.ordered().map((n) => [n.height, n.hash])
    expect(backward.ordered().map((n) => [n.height, n.hash])).toEqual(order)
    for (let i = 1; i < order.length; i++) {
      const [h0, x0] = order[i - 1] as [number, string]
      const [h1, x1] = order[i] as [number, string]
      expect(h0 < h1 || (h0 === h1 && x0 < x1)).toBe(true)
    }
  })

  it('[E1] an entry’s text is exactly what encodeEntry gives for its fields', () => {
    const graph = founded.graph()
    const written = writeEntry(graph, device('founder'), 'profile', profile('Ada'), 5)
    expect(encodeEntry(written.entry as Entry<never>)).toBe(written.envelope.e)
  })
})
