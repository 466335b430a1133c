import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { docFingerprint } from '../helpers/docFingerprint'
import { fuzzCase } from '../helpers/frameFuzzer'
import { caseDoc, formatSummary, runCase, searchBase, searchHazards, type SearchBase } from '../helpers/hazardSearch'
import { baseDoc, POISON_CASES, unrelatedUpdate, type PoisonCase } from '../helpers/poisonUpdates'
import { judgeUpdate, syncPayload, trialApplyReference, type Hazard } from '../helpers/yjsHazards'

/**
 * [Y6] What Yjs 13.6.33 itself does with damaged updates, without any relay: the hazards a relay's
 * trial-apply has to catch before an update touches a room's doc. These tests pin Yjs's behaviour
 * (if a Yjs upgrade fixes one, its test says so), and check that a reference trial-apply (scratch
 * copy, Yjs's own re-encoding of what integrated, round trip, clock bound) contains every case.
 *
 * The search runs PEERBOARD_FUZZ_FRAMES cases (default 2000; tests/long runs far more). Seeds that
 * showed a hazard are kept below by name.
 */

const CASES = Number(process.env.PEERBOARD_FUZZ_FRAMES ?? 2000)

const bases = new Map<number, SearchBase>()
const baseOf = (recordingSeed: number): SearchBase => {
  let base = bases.get(recordingSeed)
  if (base === undefined) bases.set(recordingSeed, (base = searchBase(recordingSeed)))
  return base
}

describe('[Y6] hand-built updates that Yjs mishandles', () => {
  const poison = (name: string): PoisonCase => {
    const found = POISON_CASES.find((c) => c.name === name)
    if (found === undefined) throw new Error(`no poison case ${name}`)
    return found
  }
  const dsCountForged = poison('dsCountForged')
  const emptyStringRightOrigin = poison('emptyStringRightOrigin')
  const emptyStringThenGarbage = poison('emptyStringThenGarbage')
  const pendingDeleteBomb = poison('pendingDeleteBomb')

  it('[Y6] dsCountForged: applyUpdate throws after it has integrated the structs', () => {
    const doc = baseDoc(dsCountForged.baseText)
    expect(() => Y.applyUpdate(doc, dsCountForged.update)).toThrow('Unexpected end of array')
    expect(doc.getText('poisoned').toString()).toBe('0123456789abc')
  })

  it('[Y6] emptyStringRightOrigin: accepted without an error, and the doc no longer encodes', () => {
    const doc = baseDoc(emptyStringRightOrigin.baseText)
    const before = docFingerprint(doc)
    expect(() => Y.applyUpdate(doc, emptyStringRightOrigin.update)).not.toThrow()
    expect(docFingerprint(doc)).toEqual(before)
    expect(() => Y.encodeStateAsUpdate(doc)).toThrow(TypeError)
  })

  it('[Y6] emptyStringThenGarbage: applyUpdate throws, the doc looks unchanged, and it no longer encodes', () => {
    const doc = baseDoc(emptyStringThenGarbage.baseText)
    const before = docFingerprint(doc)
    expect(() => Y.applyUpdate(doc, emptyStringThenGarbage.update)).toThrow('Unexpected end of array')
    expect(docFingerprint(doc)).toEqual(before)
    expect(() => Y.encodeStateAsUpdate(doc)).toThrow(TypeError)
  })

  it('[Y6] pendingDeleteBomb: accepted; then an unrelated client\'s update throws after integrating its text', () => {
    const doc = baseDoc(pendingDeleteBomb.baseText)
    expect(() => Y.applyUpdate(doc, pendingDeleteBomb.update)).not.toThrow()
    expect(doc.store.pendingDs).not.toBeNull()
    expect(() => Y.applyUpdate(doc, unrelatedUpdate('hello'))).toThrow('Unexpected case')
    expect(doc.getText('text').toString()).toBe('hello')
    // And again for the next one: the room is bricked for every writer.
    expect(() => Y.applyUpdate(doc, unrelatedUpdate('again', 'text', 3003))).toThrow('Unexpected case')
  })

  it.each(POISON_CASES)('[Y6] the reference trial-apply refuses $name or takes it harmlessly', ({ baseText, update }) => {
    const doc = baseDoc(baseText)
    const before = Y.encodeStateAsUpdate(doc)
    if (!trialApplyReference(doc, update)) {
      expect(Buffer.from(Y.encodeStateAsUpdate(doc)).equals(before)).toBe(true)
    }
    // Nothing of it integrated (these four bring nothing that could), and the room carries on.
    expect(doc.getText('poisoned').toString()).toBe(baseText)
    expect(trialApplyReference(doc, unrelatedUpdate('after'))).toBe(true)
    expect(doc.getText('text').toString()).toBe('after')
    const reloaded = new Y.Doc()
    Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(doc))
    expect(docFingerprint(reloaded)).toEqual(docFingerprint(doc))
  })
})

/** Seeds of the search (recording 1 unless said) that showed each hazard; kept as regressions. */
const PINNED: readonly { recording: number; seed: number; hazard: Hazard; what: string }[] = [
  { recording: 1, seed: 11, hazard: 'throwsAfterChange', what: 'update#147 with its delete-set client count forged 1->127' },
  { recording: 1, seed: 58, hazard: 'throwsLeavingPending', what: 'a future update (#148 after 144) cut inside its delete set' },
  { recording: 1, seed: 180, hazard: 'breaksLaterUpdates', what: 'a future update with its structs reversed: taken as pending, then the next valid updates throw' },
  { recording: 1, seed: 1689, hazard: 'breaksLaterUpdates', what: 'an item whose any-content length is forged to 0: taken, then the author\'s next update throws' },
  { recording: 1, seed: 37618, hazard: 'encodeThrows', what: 'a string length forged 6->0: throws, changes nothing visible, and the doc no longer encodes' },
  { recording: 1, seed: 1439, hazard: 'snapshotThrowsOnLoad', what: 'a delete set at clock 2^53-1: taken as pending deletes; the doc\'s snapshot throws on load' },
  { recording: 1, seed: 2410, hazard: 'snapshotThrowsOnLoad', what: 'a SyncStep2 with an origin clock forged huge: taken, and its snapshot throws on load' },
  { recording: 1, seed: 761, hazard: 'snapshotDiffers', what: 'a SyncStep2 re-encoded under another client id: pending structs the doc never integrates, but its snapshot does' },
  { recording: 1, seed: 698, hazard: 'snapshotDiffers', what: 'a GC length forged to 2^53-1: clocks past 2^53 lose precision' },
  { recording: 7, seed: 1392, hazard: 'encodeThrows', what: '4 bytes inserted: taken, then encodeStateAsUpdate throws Integer out of Range' },
  { recording: 7, seed: 9406, hazard: 'snapshotDiffers', what: 'a deleted run\'s length forged 1->255: the snapshot\'s deletes differ from the doc\'s' },
]

describe('[Y6] pinned seeds of the search', () => {
  it.each(PINNED)('[Y6] recording $recording seed $seed shows $hazard: $what', ({ recording, seed, hazard }) => {
    const base = baseOf(recording)
    const fuzz = fuzzCase(base.recording, seed)
    const payload = syncPayload(fuzz.mutated.frame)
    expect(payload).not.toBeNull()
    const { doc, next } = caseDoc(base, fuzz)
    const verdict = judgeUpdate(doc, payload as Uint8Array, next)
    expect(verdict.hazards, verdict.detail).toContain(hazard)
    // And the reference trial-apply contains it.
    expect(runCase(base, seed).referenceProblem).toBeNull()
  })
})

describe('[Y6] seeded search', () => {
  it.each([1, 7])(`[Y6] recording %i: ${CASES} mutated updates, each hazard contained by the reference trial-apply`, (recording) => {
    const summary = searchHazards(baseOf(recording), 1, CASES)
    console.log(formatSummary(recording, summary))
    expect(summary.referenceProblems).toEqual([])
    // The search keeps finding the most common hazard (a regression in the fuzzer would not).
    expect(summary.classes.get('throwsAfterChange') ?? 0).toBeGreaterThan(CASES / 50)
  }, 600_000)
})
