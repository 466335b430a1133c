import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'

/**
 * Small hand-built Yjs updates that Yjs 13.6 mishandles, each next to the room content it needs:
 * a room where client `AUTHOR` typed `baseText` into the Y.Text `poisoned`. Found by the seeded
 * search of tests/unit/fuzzFrames.test.ts and reduced by hand; the relay must refuse them or take
 * them harmlessly (SPEC [Y6]). Byte for byte (v1 update format, see updateTokens.ts):
 *
 * - `dsCountForged`: a valid update appending "abc", whose delete set claims 127 clients but has
 *   none. Yjs integrates "abc", then throws reading the delete set: the doc changed, and it threw.
 * - `emptyStringRightOrigin` (room "a"): one item at AUTHOR:1 whose right origin is AUTHOR:0 and
 *   whose content is the empty string. Yjs takes it without a word; from then on
 *   Y.encodeStateAsUpdate(doc) throws, so the room can answer no SyncStep1 and store no snapshot.
 * - `emptyStringThenGarbage` (room "a"): the same item followed by a delete set that does not
 *   decode. Yjs throws, the doc looks unchanged (same content, state vector, deletes), yet it no
 *   longer encodes.
 * - `pendingDeleteBomb` (room "0123456789"): no structs; a delete set for AUTHOR with a range at
 *   clock 2^53-1 followed by one at clock 20 (beyond AUTHOR's 10). Yjs keeps both as pending
 *   deletes and throws on no error; but it re-reads pending deletes on every later update and now
 *   fails there, so every later update, from anyone, to any type, throws ("Unexpected case") after
 *   its structs were integrated.
 */

export const AUTHOR = 1001

export interface PoisonCase {
  readonly name: string
  /** What the room holds before: AUTHOR typed this into `poisoned`. */
  readonly baseText: string
  readonly update: Uint8Array
  /** What Yjs 13.6.33 does with it (checked by tests/unit/fuzzFrames.test.ts). */
  readonly yjs: string
}

const build = (write: (encoder: encoding.Encoder) => void): Uint8Array => {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

/** The room's content before the poison: AUTHOR's text, as one update. */
export const baseUpdate = (baseText: string): Uint8Array => {
  const doc = new Y.Doc()
  doc.clientID = AUTHOR
  doc.getText('poisoned').insert(0, baseText)
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}

/** A doc holding the room's content before the poison. */
export const baseDoc = (baseText: string): Y.Doc => {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, baseUpdate(baseText))
  return doc
}

/** One Item at AUTHOR:1 with right origin AUTHOR:0 and content "" (info 0x44: right origin, string). */
const emptyStringItem = (encoder: encoding.Encoder): void => {
  encoding.writeVarUint(encoder, 1) // one client block
  encoding.writeVarUint(encoder, 1) // one struct
  encoding.writeVarUint(encoder, AUTHOR)
  encoding.writeVarUint(encoder, 1) // first clock
  encoding.writeUint8(encoder, 0x44)
  encoding.writeVarUint(encoder, AUTHOR) // right origin
  encoding.writeVarUint(encoder, 0)
  encoding.writeVarString(encoder, '')
}

export const POISON_CASES: readonly PoisonCase[] = [
  {
    name: 'dsCountForged',
    baseText: '0123456789',
    update: (() => {
      const doc = new Y.Doc()
      doc.clientID = AUTHOR
      doc.getText('poisoned').insert(0, '0123456789')
      const before = Y.encodeStateVector(doc)
      doc.getText('poisoned').insert(10, 'abc')
      const update = Uint8Array.from(Y.encodeStateAsUpdate(doc, before))
      doc.destroy()
      update[update.byteLength - 1] = 127 // the delete set's client count (was 0)
      return update
    })(),
    yjs: 'integrates "abc", then throws: the doc changed although applyUpdate threw',
  },
  {
    name: 'emptyStringRightOrigin',
    baseText: 'a',
    update: build((encoder) => {
      emptyStringItem(encoder)
      encoding.writeVarUint(encoder, 0) // no deletes
    }),
    yjs: 'accepted without an error; then Y.encodeStateAsUpdate(doc) throws',
  },
  {
    name: 'emptyStringThenGarbage',
    baseText: 'a',
    update: build((encoder) => {
      emptyStringItem(encoder)
      encoding.writeVarUint(encoder, 99) // a delete set of 99 clients, cut short
    }),
    yjs: 'throws, leaves the doc looking unchanged, and the doc no longer encodes',
  },
  {
    name: 'pendingDeleteBomb',
    baseText: '0123456789',
    update: build((encoder) => {
      encoding.writeVarUint(encoder, 0) // no structs
      encoding.writeVarUint(encoder, 1) // deletes of one client
      encoding.writeVarUint(encoder, AUTHOR)
      encoding.writeVarUint(encoder, 2)
      encoding.writeVarUint(encoder, 2 ** 53 - 1)
      encoding.writeVarUint(encoder, 2)
      encoding.writeVarUint(encoder, 20)
      encoding.writeVarUint(encoder, 1)
    }),
    yjs: 'accepted without an error; then every later update (anyone, any type) throws after integrating its structs',
  },
]

/** An update from a fresh client that inserts `text` into `root` (unrelated to the poison). */
export const unrelatedUpdate = (text: string, root = 'text', clientId = 2002): Uint8Array => {
  const doc = new Y.Doc()
  doc.clientID = clientId
  doc.getText(root).insert(0, text)
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}
