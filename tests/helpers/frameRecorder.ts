import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { pick, seededRandom } from './prng'
import { awarenessFrame, updateFrame } from './wireFrames'

/**
 * Valid y-websocket frames recorded from a seeded editing session, for the frame fuzzer to mutate.
 *
 * Two writers (their own docs, client ids drawn from the seed) edit a Y.Text (inserts with
 * surrogate pairs and newlines, deletes, bold formatting, embeds), a Y.Map (JSON values, binary,
 * nested Y.Text and Y.Map, overwrites and deletes), a Y.Array (inserts, nested maps, deletes) and a
 * Y.XmlFragment (elements with attributes and text, deletes), sometimes several edits in one
 * transaction, and exchange updates now and then, so later edits sit next to the other writer's.
 * Every local update becomes a sync Update frame, in the order it was made (a valid causal order:
 * sending `updates` in order to an empty room reproduces the session). A third doc follows along
 * and, now and then, yields a SyncStep2 frame (the diff between two of its states: several clients,
 * deleted items, GC'd runs, a delete set) and a SyncStep1 frame (its state vector). The writers'
 * presence changes (and is removed) through y-protocols' Awareness, recorded as awareness frames.
 *
 * The recording's root types are `fuzz-text`, `fuzz-map`, `fuzz-array` and `fuzz-xml`: the relay
 * tests' honest clients edit other root types, so that what the fuzzer makes the relay accept can
 * never interleave with honest edits (see relayFuzz.test.ts).
 */

/** The root types an editing session touches: a Y.Text, a Y.Map, a Y.Array and a Y.XmlFragment. */
export interface EditRoots {
  readonly text: string
  readonly map: string
  readonly array: string
  readonly xml: string
}

export const RECORDED_ROOTS: EditRoots = { text: 'fuzz-text', map: 'fuzz-map', array: 'fuzz-array', xml: 'fuzz-xml' }

export interface RecordedSyncFrame {
  readonly kind: 'update' | 'step2'
  readonly frame: Uint8Array
  /** The Yjs update the frame carries. */
  readonly update: Uint8Array
  /** How many of `updates` a doc must hold for this update to integrate whole (nothing pending). */
  readonly after: number
  /** How many of `updates` a doc holds once this one is integrated. */
  readonly upTo: number
}

export interface RecordedOtherFrame {
  readonly kind: 'step1' | 'awareness'
  readonly frame: Uint8Array
  /** The state vector (step1) or awareness update the frame carries. */
  readonly payload: Uint8Array
}

export interface Recording {
  readonly seed: number
  /** Every local update of the two writers, in the order made. `updateFrames[i]` carries `updates[i]`. */
  readonly updates: readonly Uint8Array[]
  readonly updateFrames: readonly RecordedSyncFrame[]
  readonly step2Frames: readonly RecordedSyncFrame[]
  readonly step1Frames: readonly RecordedOtherFrame[]
  readonly awarenessFrames: readonly RecordedOtherFrame[]
  /** The writers' client ids. */
  readonly clients: readonly number[]
  /** The whole session as one snapshot (the follower's state at the end). */
  readonly final: Uint8Array
}

/** `0 · step · varUint8Array(payload)`. */
export const syncFrame = (step: number, payload: Uint8Array): Uint8Array => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  encoding.writeVarUint(encoder, step)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}

const ALPHABET = ['a', 'b', 'c', 'x', ' ', '\n', 'é', 'ß', '😀', '字', '\u200b']
/**
 * Without characters outside the BMP: Y.Text counts UTF-16 units, and two replicas that insert or
 * delete inside the same surrogate pair can end up with different text (Yjs replaces a split pair
 * with U+FFFD on one side only). Honest clients that must converge use this.
 */
export const BMP_ALPHABET = ALPHABET.filter((c) => c.length === 1)

const randomString = (random: () => number, max: number, chars: readonly string[]): string => {
  let s = ''
  const n = 1 + pick(random, max)
  for (let i = 0; i < n; i++) s += chars[pick(random, chars.length)] as string
  return s
}

const randomValue = (random: () => number, chars: readonly string[]): unknown => {
  switch (pick(random, 9)) {
    case 0:
      return pick(random, 1_000_000) - 500_000
    case 1:
      return random()
    case 2:
      return randomString(random, 6, chars)
    case 3:
      return random() < 0.5
    case 4:
      return null
    case 5:
      return { k: randomString(random, 3, chars), n: pick(random, 100), list: [1, 'two', { three: 3 }] }
    case 6:
      return [pick(random, 10), randomString(random, 2, chars)]
    case 7:
      return Uint8Array.from({ length: 1 + pick(random, 6) }, () => pick(random, 256))
    default: {
      const yText = new Y.Text()
      yText.insert(0, randomString(random, 5, chars))
      return yText
    }
  }
}

const range = (random: () => number, length: number): [number, number] => {
  const at = pick(random, length)
  return [at, 1 + pick(random, Math.min(5, length - at))]
}

/** One random edit of `doc`'s root types named by `roots`, typing characters of `chars`. */
export const randomEdit = (doc: Y.Doc, random: () => number, roots: EditRoots, chars: readonly string[] = ALPHABET): void => {
  const yText = doc.getText(roots.text)
  const yMap = doc.getMap<unknown>(roots.map)
  const yArray = doc.getArray<unknown>(roots.array)
  const yXml = doc.getXmlFragment(roots.xml)
  const op = pick(random, 15)
  if (op <= 3) {
    yText.insert(pick(random, yText.length + 1), randomString(random, 8, chars))
  } else if (op === 4 && yText.length > 0) {
    yText.delete(...range(random, yText.length))
  } else if (op === 5 && yText.length > 1) {
    const [at, len] = range(random, yText.length)
    yText.format(at, len, { bold: random() < 0.7 ? true : null })
  } else if (op === 6) {
    yText.insertEmbed(pick(random, yText.length + 1), { image: randomString(random, 3, chars) })
  } else if (op === 7) {
    const key = ['a', 'b', 'c', 'd', 'nested'][pick(random, 5)] as string
    if (key === 'nested') {
      const yNested = new Y.Map<unknown>()
      yNested.set('inner', randomString(random, 4, chars))
      yMap.set(key, yNested)
    } else yMap.set(key, randomValue(random, chars))
  } else if (op === 8) {
    const keys = [...yMap.keys()]
    if (keys.length > 0) yMap.delete(keys[pick(random, keys.length)] as string)
    const nested = yMap.get('nested')
    if (nested instanceof Y.Map) nested.set('inner', randomString(random, 3, chars))
  } else if (op === 9 || op === 10) {
    const values = Array.from({ length: 1 + pick(random, 3) }, () => randomValue(random, chars))
    if (random() < 0.2) {
      const yItem = new Y.Map<unknown>()
      yItem.set('id', pick(random, 1000))
      values.push(yItem)
    }
    yArray.insert(pick(random, yArray.length + 1), values)
  } else if (op === 11 && yArray.length > 0) {
    yArray.delete(...range(random, yArray.length))
  } else if (op === 12) {
    const yElement = new Y.XmlElement(random() < 0.5 ? 'p' : 'h1')
    yElement.setAttribute('class', randomString(random, 3, chars))
    yElement.insert(0, [new Y.XmlText(randomString(random, 6, chars))])
    yXml.insert(pick(random, yXml.length + 1), [yElement])
  } else if (op === 13 && yXml.length > 0) {
    const yElement = yXml.get(pick(random, yXml.length))
    if (yElement instanceof Y.XmlElement) {
      const yChild = yElement.get(0)
      if (yChild instanceof Y.XmlText) yChild.insert(pick(random, yChild.length + 1), randomString(random, 4, chars))
      else yElement.setAttribute('data-n', String(pick(random, 100)))
    }
  } else if (yXml.length > 0) {
    yXml.delete(...range(random, yXml.length))
  } else {
    yText.insert(0, randomString(random, 3, chars))
  }
}

/**
 * Records `steps` transactions (each one to three edits) of two writers. The same seed records
 * the same frames, byte for byte.
 */
export const recordSession = (seed: number, steps: number): Recording => {
  const random = seededRandom(seed)
  const writers = [new Y.Doc(), new Y.Doc()]
  const clients = writers.map((doc) => {
    doc.clientID = 1 + pick(random, 0xfffffffe)
    return doc.clientID
  })
  const follower = new Y.Doc()
  const awareness = writers.map((doc) => new awarenessProtocol.Awareness(doc))
  const updates: Uint8Array[] = []
  const updateFrames: RecordedSyncFrame[] = []
  const step2Frames: RecordedSyncFrame[] = []
  const step1Frames: RecordedOtherFrame[] = []
  const awarenessFrames: RecordedOtherFrame[] = []
  /** The follower's state vector after each prefix of `updates`. */
  const stateVectors: Uint8Array[] = [Y.encodeStateVector(follower)]
  /** Updates each writer made that the other has not received yet. */
  const outbox: Uint8Array[][] = [[], []]
  const REMOTE = Symbol('remote')

  writers.forEach((doc, i) => {
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === REMOTE) return
      const index = updates.length
      updates.push(update)
      updateFrames.push({ kind: 'update', frame: updateFrame(update), update, after: index, upTo: index + 1 })
      Y.applyUpdate(follower, update)
      stateVectors.push(Y.encodeStateVector(follower))
      outbox[i]?.push(update)
    })
  })

  for (let step = 0; step < steps; step++) {
    const who = pick(random, 2)
    const doc = writers[who] as Y.Doc
    const edits = random() < 0.25 ? 2 + pick(random, 2) : 1
    doc.transact(() => {
      for (let e = 0; e < edits; e++) randomEdit(doc, random, RECORDED_ROOTS)
    })
    // Exchange what each has made, now and then.
    if (random() < 0.4) {
      for (const [from, to] of [
        [0, 1],
        [1, 0],
      ] as const) {
        for (const update of (outbox[from] as Uint8Array[]).splice(0)) Y.applyUpdate(writers[to] as Y.Doc, update, REMOTE)
      }
    }
    if (random() < 0.1) {
      const from = pick(random, updates.length + 1)
      const update = Y.encodeStateAsUpdate(follower, stateVectors[from])
      step2Frames.push({ kind: 'step2', frame: syncFrame(1, update), update, after: from, upTo: updates.length })
    }
    if (random() < 0.05) {
      const stateVector = Y.encodeStateVector(follower)
      step1Frames.push({ kind: 'step1', frame: syncFrame(0, stateVector), payload: stateVector })
    }
    if (random() < 0.15) {
      const presence = awareness[who] as awarenessProtocol.Awareness
      presence.setLocalState(
        random() < 0.15
          ? null
          : { user: { name: randomString(random, 6, ALPHABET), color: `#${pick(random, 0xffffff).toString(16)}` }, cursor: pick(random, 100) },
      )
      const update = awarenessProtocol.encodeAwarenessUpdate(presence, [presence.clientID])
      awarenessFrames.push({ kind: 'awareness', frame: awarenessFrame(update), payload: update })
    }
  }
  const final = Y.encodeStateAsUpdate(follower)
  for (const presence of awareness) presence.destroy()
  for (const doc of [...writers, follower]) doc.destroy()
  return { seed, updates, updateFrames, step2Frames, step1Frames, awarenessFrames, clients, final }
}
