import { syncFrame, type Recording, type RecordedOtherFrame, type RecordedSyncFrame } from './frameRecorder'
import { mutatePayload, pickOf, truncate, type Context, type PayloadKind } from './frameMutations'
import { pick, seededRandom } from './prng'
import { awarenessFrame } from './wireFrames'

/**
 * A seeded mutator of valid y-websocket frames (from frameRecorder.ts), for fuzzing the relay and
 * Yjs itself.
 *
 * A mutated frame is one to three mutations of a recorded frame. Most work on the payload (the
 * Yjs update, state vector or awareness update) and wrap it again with a correct length, so the
 * damage reaches the decoder that matters instead of failing at the frame's own length:
 *
 * - bytes: bit flips, byte replacement with edge values, truncation, inserted or deleted bytes,
 *   a chunk repeated, a byte-level splice of two payloads;
 * - fields (found by updateTokens.ts): a varUint length forged (#clients, #structs, a content or
 *   string length, #delete ranges...), a clock made huge (a block's first clock, an origin's, a
 *   parent's, a delete range's), a client id re-encoded (one field, or every occurrence of one id);
 * - structure: structs spliced from two updates (whole blocks, or one block's head with another's
 *   tail), structs dropped, repeated or swapped, an info byte's flags or content ref changed, delete
 *   sets duplicated, mixed from two updates, overlapping, zero-length, huge or for unknown clients;
 * - awareness: forged counts, ids and clocks, states that are null, not JSON or repeated;
 * - the frame itself (rarely): its message type or sync step changed, or the frame truncated.
 *
 * Everything is drawn from a seeded PRNG: the same seed gives the same bytes.
 */

type Random = () => number

export interface MutatedFrame {
  readonly frame: Uint8Array
  /** The recorded frame it came from, e.g. `update#12`, `step2[3..40)`, `awareness#2`. */
  readonly source: string
  /** The mutations applied, in order, e.g. `truncate@37/52`, `hugeClock dsClock 4->4294967295`. */
  readonly mutations: readonly string[]
}

export type SourceFrame = RecordedSyncFrame | RecordedOtherFrame

export const describeSource = (source: SourceFrame, recording: Recording): string => {
  if ('update' in source) return source.kind === 'update' ? `update#${source.after}` : `step2[${source.after}..${source.upTo})`
  if (source.kind === 'step1') return `step1#${recording.step1Frames.indexOf(source)}`
  return `awareness#${recording.awarenessFrames.indexOf(source)}`
}

/** One to three mutations of `source` (the first usually on its payload, see above). */
export const mutateFrame = (random: Random, source: SourceFrame, recording: Recording): MutatedFrame => {
  const mutations: string[] = []
  const other = pickOf(random, [...recording.updates, ...recording.step2Frames.map((f) => f.update)])
  const context: Context = { recording, other }
  const kind: PayloadKind = source.kind === 'awareness' ? 'awareness' : source.kind === 'step1' ? 'stateVector' : 'update'
  let payload = 'update' in source ? source.update : source.payload
  const rounds = 1 + (random() < 0.35 ? 1 : 0) + (random() < 0.1 ? 1 : 0)
  for (let r = 0; r < rounds; r++) {
    const [next, label] = mutatePayload(random, kind, payload, context)
    payload = next
    mutations.push(label)
  }
  let frame: Uint8Array
  if (kind === 'awareness') frame = awarenessFrame(payload)
  else frame = syncFrame(source.kind === 'step1' ? 0 : source.kind === 'step2' ? 1 : 2, payload)
  // Rarely, the frame itself.
  const roll = random()
  if (roll < 0.03) {
    const [next, label] = truncate(random, frame)
    frame = next
    mutations.push(`frame ${label}`)
  } else if (roll < 0.06) {
    const out = Uint8Array.from(frame)
    const at = kind === 'awareness' || random() < 0.5 ? 0 : 1
    out[at] = pickOf(random, [0, 1, 2, 3, 4, 100, 101, 127])
    frame = out
    mutations.push(`frame retype byte${at}=${out[at]}`)
  }
  return { frame, source: describeSource(source, recording), mutations }
}

/** A 32-bit mix of a seed and an index, so frame `index` of a run can be drawn on its own. */
export const mixSeed = (seed: number, index: number): number => {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 0x632be5ab, 0xc2b2ae35)
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d)
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b)
  return (h ^ (h >>> 16)) >>> 0
}

/**
 * Picks the recorded frame to mutate for a doc (or room) that holds the first `applied` updates:
 * mostly the next update (its structs integrate, so a failure halfway leaves something behind),
 * sometimes a later one (it goes pending), an earlier one (a duplicate), a SyncStep2, a SyncStep1
 * or an awareness frame.
 */
export const pickSource = (random: Random, recording: Recording, applied: number, withOthers: boolean): SourceFrame => {
  const n = recording.updateFrames.length
  const roll = random()
  const others = withOthers ? 0.2 : 0
  if (roll < others * 0.25 && recording.step1Frames.length > 0) return pickOf(random, recording.step1Frames)
  if (roll < others && recording.awarenessFrames.length > 0) return pickOf(random, recording.awarenessFrames)
  const rest = (roll - others) / (1 - others)
  if (rest < 0.55 && applied < n) return recording.updateFrames[applied] as RecordedSyncFrame
  if (rest < 0.65 && applied + 1 < n) return recording.updateFrames[applied + 1 + pick(random, Math.min(5, n - applied - 1))] as RecordedSyncFrame
  if (rest < 0.8 && recording.step2Frames.length > 0) {
    const usable = recording.step2Frames.filter((f) => f.after <= applied)
    return pickOf(random, usable.length > 0 ? usable : recording.step2Frames)
  }
  return recording.updateFrames[pick(random, Math.max(1, Math.min(applied + 1, n)))] as RecordedSyncFrame
}

export interface FuzzCase {
  readonly seed: number
  /** How many of the recording's updates the doc holds before the mutated frame arrives. */
  readonly applied: number
  readonly mutated: MutatedFrame
}

/** A case for the Yjs-level search: a prefix of the recording, then one mutated sync frame. */
export const fuzzCase = (recording: Recording, seed: number): FuzzCase => {
  const random = seededRandom(seed)
  const applied = pick(random, recording.updates.length)
  const source = pickSource(random, recording, applied, false)
  return { seed, applied, mutated: mutateFrame(random, source, recording) }
}

export interface FuzzStep {
  readonly index: number
  /** A valid recorded update sent in order, or a mutated frame. */
  readonly kind: 'valid' | 'fuzz'
  readonly frame: Uint8Array
  /** Valid updates sent before this step. */
  readonly applied: number
  readonly source: string
  readonly mutations: readonly string[]
}

/**
 * The frames a relay fuzz run sends to one room: the recording's updates in order (about one step
 * in six), mixed with mutated frames of every kind. Step `i` is drawn from `mixSeed(seed, i)`.
 */
export function* fuzzSteps(recording: Recording, seed: number): Generator<FuzzStep> {
  let applied = 0
  for (let index = 0; ; index++) {
    const random = seededRandom(mixSeed(seed, index))
    if (applied < recording.updateFrames.length && random() < 0.16) {
      const valid = recording.updateFrames[applied] as RecordedSyncFrame
      yield { index, kind: 'valid', frame: valid.frame, applied, source: `update#${applied}`, mutations: [] }
      applied++
      continue
    }
    const source = pickSource(random, recording, applied, true)
    const mutated = mutateFrame(random, source, recording)
    yield { index, kind: 'fuzz', frame: mutated.frame, applied, source: mutated.source, mutations: mutated.mutations }
  }
}
