import * as Y from 'yjs'
import { docFingerprint, docFrom, fingerprintDifference } from './docFingerprint'
import { fuzzCase, type FuzzCase } from './frameFuzzer'
import { recordSession, type Recording } from './frameRecorder'
import { judgeUpdate, syncPayload, trialApplyReference, verdictClass, type Verdict } from './yjsHazards'

/**
 * The Yjs-level search of tests/unit/fuzzFrames.test.ts (and its long version): for each seed, a
 * doc holding a prefix of a recorded session receives one mutated update (frameFuzzer.ts's
 * `fuzzCase`), and is judged (yjsHazards.ts). Each hazardous case is then replayed through the
 * reference trial-apply, which must contain it.
 */

/** How many of the recording's updates each search doc starts from, as snapshots. */
export interface SearchBase {
  readonly recording: Recording
  readonly prefixes: readonly Uint8Array[]
}

export const searchBase = (recordingSeed: number): SearchBase => {
  const recording = recordSession(recordingSeed, 300)
  const doc = new Y.Doc()
  const prefixes = [Y.encodeStateAsUpdate(doc)]
  for (const update of recording.updates) {
    Y.applyUpdate(doc, update)
    prefixes.push(Y.encodeStateAsUpdate(doc))
  }
  doc.destroy()
  return { recording, prefixes }
}

/** The doc a case starts from, and the valid updates that follow it in the session. */
export const caseDoc = (base: SearchBase, fuzz: FuzzCase): { doc: Y.Doc; next: Uint8Array[] } => ({
  doc: docFrom(base.prefixes[fuzz.applied] as Uint8Array),
  next: base.recording.updates.slice(fuzz.applied, fuzz.applied + 3),
})

export interface CaseResult {
  readonly fuzz: FuzzCase
  /** null when the mutated frame is no longer a sync update. */
  readonly verdict: Verdict | null
  /** What went wrong with the reference trial-apply, or null. */
  readonly referenceProblem: string | null
}

const label = (fuzz: FuzzCase): string => `seed ${fuzz.seed} (${fuzz.mutated.source} after ${fuzz.applied}: ${fuzz.mutated.mutations.join(' | ')})`

/** Replays a hazardous case through trialApplyReference; returns what went wrong, or null. */
export const checkReference = (base: SearchBase, fuzz: FuzzCase, payload: Uint8Array): string | null => {
  const { doc, next } = caseDoc(base, fuzz)
  try {
    const before = Y.encodeStateAsUpdate(doc)
    if (!trialApplyReference(doc, payload)) {
      return Buffer.from(Y.encodeStateAsUpdate(doc)).equals(before) ? null : 'refused, but the doc changed'
    }
    // The author's next updates may now be refused (their ids are taken): that is allowed.
    for (const update of next) trialApplyReference(doc, update)
    const loaded = docFrom(Y.encodeStateAsUpdate(doc))
    const difference = fingerprintDifference({ ...docFingerprint(doc), pending: false }, { ...docFingerprint(loaded), pending: false })
    loaded.destroy()
    return difference === null ? null : `accepted, and the doc's snapshot loads differently: ${difference}`
  } catch (error) {
    return `accepted, then ${String(error)}`
  } finally {
    doc.destroy()
  }
}

export const runCase = (base: SearchBase, seed: number): CaseResult => {
  const fuzz = fuzzCase(base.recording, seed)
  const payload = syncPayload(fuzz.mutated.frame)
  if (payload === null) return { fuzz, verdict: null, referenceProblem: null }
  const { doc, next } = caseDoc(base, fuzz)
  const verdict = judgeUpdate(doc, payload, next)
  doc.destroy()
  const problem = verdict.hazards.length > 0 ? checkReference(base, fuzz, payload) : null
  return { fuzz, verdict, referenceProblem: problem === null ? null : `${label(fuzz)}: ${problem}` }
}

export interface SearchSummary {
  /** Cases by class (`accepted`, `rejectedClean`, a hazard, or `notAnUpdate`). */
  readonly classes: Map<string, number>
  /** The first few seeds of each hazard, with what happened. */
  readonly examples: Map<string, string[]>
  readonly referenceProblems: string[]
}

export const searchHazards = (base: SearchBase, fromSeed: number, count: number): SearchSummary => {
  const classes = new Map<string, number>()
  const examples = new Map<string, string[]>()
  const referenceProblems: string[] = []
  for (let seed = fromSeed; seed < fromSeed + count; seed++) {
    const result = runCase(base, seed)
    const name = result.verdict === null ? 'notAnUpdate' : verdictClass(result.verdict)
    classes.set(name, (classes.get(name) ?? 0) + 1)
    for (const hazard of result.verdict?.hazards ?? []) {
      const list = examples.get(hazard) ?? []
      if (list.length < 3) list.push(`${label(result.fuzz)} -> ${result.verdict?.detail.split('\n')[0] ?? ''}`)
      examples.set(hazard, list)
    }
    if (result.referenceProblem !== null) referenceProblems.push(result.referenceProblem)
  }
  return { classes, examples, referenceProblems }
}

/** A printable summary. */
export const formatSummary = (recordingSeed: number, summary: SearchSummary): string =>
  [
    `recording ${recordingSeed}: ${[...summary.classes].map(([k, v]) => `${k} ${v}`).join(', ')}`,
    ...[...summary.examples].flatMap(([hazard, list]) => list.map((line) => `  ${hazard}: ${line}`)),
  ].join('\n')
