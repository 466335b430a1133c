import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { docFingerprint, docFrom, fingerprintDifference, type DocFingerprint } from './docFingerprint'
import { tokenizeUpdate } from './updateTokens'

/**
 * What one (mutated) update does to a Y.Doc, judged at the Yjs level without any relay: the
 * hazards a relay's trial-apply must catch before an update touches a room's doc (SPEC [Y6]).
 *
 * - `throwsAfterChange`: Y.applyUpdate throws, but the doc's content, state vector or delete set
 *   already changed (Yjs integrates structs before it reads the delete set, and integrates them one
 *   by one).
 * - `throwsLeavingPending`: it throws, and only the doc's pending structs or deletes changed.
 * - `encodeThrows`: afterwards (thrown or not) Y.encodeStateAsUpdate(doc) throws.
 * - `snapshotThrowsOnLoad`: the doc encodes, but applying that snapshot to a fresh doc throws.
 * - `snapshotDiffers`: the snapshot loads into something else than the doc.
 * - `breaksLaterUpdates`: the next valid updates then throw, or leave a doc that does not encode.
 * - `rejectedClean`: it throws and the doc is as before; `accepted`: none of the above.
 */
export const HAZARDS = [
  'throwsAfterChange',
  'throwsLeavingPending',
  'encodeThrows',
  'snapshotThrowsOnLoad',
  'snapshotDiffers',
  'breaksLaterUpdates',
] as const
export type Hazard = (typeof HAZARDS)[number]

export interface Verdict {
  /** What applyUpdate threw, or null. */
  readonly threw: string | null
  /** Which of content, stateVector, deletes, pending changed (also when it threw). */
  readonly changed: readonly string[]
  readonly hazards: readonly Hazard[]
  /** The message of the first hazard's error or difference. */
  readonly detail: string
}

const message = (error: unknown): string => (error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error))

const attempt = <T>(f: () => T): { value: T; error: null } | { value: null; error: string } => {
  try {
    return { value: f(), error: null }
  } catch (error) {
    return { value: null, error: message(error) }
  }
}

const changedBetween = (before: DocFingerprint, after: DocFingerprint | null): string[] => {
  if (after === null) return ['unreadable']
  return (['content', 'stateVector', 'deletes', 'pending'] as const).filter((key) => before[key] !== after[key])
}

/**
 * The update a sync Update or SyncStep2 frame carries, or null for any other frame. Bytes after
 * the update are ignored, as the relay's decoder ignores them.
 */
export const syncPayload = (frame: Uint8Array): Uint8Array | null => {
  try {
    const decoder = decoding.createDecoder(frame)
    if (decoding.readVarUint(decoder) !== 0) return null
    const step = decoding.readVarUint(decoder)
    if (step !== 1 && step !== 2) return null
    return decoding.readVarUint8Array(decoder)
  } catch {
    return null
  }
}

/**
 * Applies `update` to `doc` (changing it) and judges what happened. `next` are valid updates that
 * should follow (the rest of an honest session); they are applied afterwards.
 */
export const judgeUpdate = (doc: Y.Doc, update: Uint8Array, next: readonly Uint8Array[]): Verdict => {
  const before = docFingerprint(doc)
  const applied = attempt(() => Y.applyUpdate(doc, update))
  const after = attempt(() => docFingerprint(doc)).value
  const changed = changedBetween(before, after)
  const hazards: Hazard[] = []
  const details: string[] = []
  const threw = applied.error
  if (threw !== null) {
    if (changed.some((c) => c !== 'pending')) {
      hazards.push('throwsAfterChange')
      details.push(`threw ${threw} after changing ${changed.join('+')}`)
    } else if (changed.length > 0) {
      hazards.push('throwsLeavingPending')
      details.push(`threw ${threw}, left pending`)
    }
  }
  const encoded = attempt(() => Y.encodeStateAsUpdate(doc))
  if (encoded.error !== null) {
    hazards.push('encodeThrows')
    details.push(`encodeStateAsUpdate: ${encoded.error}`)
  } else if (after !== null) {
    const loaded = attempt(() => docFrom(encoded.value))
    if (loaded.error !== null) {
      hazards.push('snapshotThrowsOnLoad')
      details.push(`snapshot load: ${loaded.error}`)
    } else {
      const difference = fingerprintDifference({ ...after, pending: false }, { ...docFingerprint(loaded.value), pending: false })
      if (difference !== null) {
        hazards.push('snapshotDiffers')
        details.push(`snapshot ${difference}`)
      }
      loaded.value.destroy()
    }
  }
  const later = attempt(() => {
    for (const u of next) Y.applyUpdate(doc, u)
    Y.encodeStateAsUpdate(doc)
  })
  if (later.error !== null) {
    hazards.push('breaksLaterUpdates')
    details.push(`later valid updates: ${later.error}`)
  }
  return { threw, changed, hazards, detail: details[0] ?? (threw ?? 'accepted') }
}

/** The verdict's class: its first hazard, else `rejectedClean` or `accepted`. */
export const verdictClass = (verdict: Verdict): Hazard | 'rejectedClean' | 'accepted' =>
  verdict.hazards[0] ?? (verdict.threw !== null ? 'rejectedClean' : 'accepted')

/**
 * Far beyond any real document (a client's clock counts the items it ever inserted, and a room is
 * capped far below a billion of them), and far below where Yjs's clock arithmetic breaks down.
 */
export const MAX_PLAUSIBLE_CLOCK = 2 ** 30

/** Whether every struct and delete range of a (complete) update ends below `maxClock`. */
export const withinClocks = (update: Uint8Array, maxClock: number): boolean => {
  const tokens = tokenizeUpdate(update)
  if (!tokens.complete) return true // Yjs will refuse it itself
  return (
    tokens.blocks.every((b) => b.structs.every((s) => s.clock + s.length <= maxClock) && b.clock <= maxClock) &&
    tokens.deletes.every((d) => d.clock + d.len <= maxClock)
  )
}

/**
 * A reference trial-apply (what a relay could do; SPEC [Y6]): apply the update to a scratch copy
 * of the doc; if that throws, or the copy then fails to encode, or its snapshot fails to load or
 * loads into something else than the copy, the update is refused and `doc` is untouched; so is an
 * update with a struct or delete range past `maxClock`. Otherwise the doc gets the update Yjs
 * itself produced for the scratch copy's transaction (only what integrated, encoded by Yjs), never
 * the raw bytes, and nothing pending. Returns whether it was accepted.
 */
export const trialApplyReference = (doc: Y.Doc, update: Uint8Array, maxClock = MAX_PLAUSIBLE_CLOCK): boolean => {
  if (!withinClocks(update, maxClock)) return false
  const scratch = docFrom(Y.encodeStateAsUpdate(doc))
  const produced: Uint8Array[] = []
  scratch.on('update', (u: Uint8Array) => produced.push(u))
  try {
    Y.applyUpdate(scratch, update)
    const loaded = docFrom(Y.encodeStateAsUpdate(scratch))
    const same = fingerprintDifference({ ...docFingerprint(scratch), pending: false }, { ...docFingerprint(loaded), pending: false }) === null
    loaded.destroy()
    if (!same) return false
  } catch {
    return false
  } finally {
    scratch.destroy()
  }
  for (const u of produced) Y.applyUpdate(doc, u)
  return true
}
