import * as decoding from 'lib0/decoding'

/**
 * A lenient reader of Yjs v1 updates (and of state vectors and awareness updates) that records
 * where each field sits in the bytes, so the frame fuzzer can rewrite one field (a clock, a client
 * id, a length) and leave everything else as it was.
 *
 * The v1 update format, as Yjs 13.6 reads it (readClientsStructRefs, readItemContent, readDeleteSet):
 *
 *   update  = varUint(#clients) · block* · deleteSet
 *   block   = varUint(#structs) · varUint(client) · varUint(clock) · struct*
 *   struct  = uint8(info) · ...   info & 31: 0 GC (varUint len), 10 Skip (varUint len), else an Item:
 *             [origin client · clock if info & 0x80] [right origin client · clock if info & 0x40]
 *             [if neither: varUint(parentInfo) · (varString(root key) | parent client · clock),
 *              varString(parentSub) if info & 0x20] · content
 *   content = 1 deleted (varUint len) | 2 JSON (varUint n · varString*n) | 3 binary (varUint8Array)
 *             | 4 string (varString) | 5 embed (varString JSON) | 6 format (varString key · varString JSON)
 *             | 7 type (varUint typeRef · varString name for XmlElement 3 / XmlHook 5) | 8 any (varUint n · any*n)
 *             | 9 doc (varString guid · any)
 *   deleteSet = varUint(#clients) · (varUint client · varUint(#ranges) · (varUint clock · varUint len)*)*
 *
 * A struct's length is its content's: a string's UTF-16 length after decoding, a JSON or any
 * array's element count, a GC, skip or deleted run's len, 1 otherwise. Reading stops at the first
 * field that does not decode; what was read so far is kept (`complete` is false).
 */

export type FieldKind =
  | 'numClients'
  | 'numStructs'
  | 'client'
  | 'clock'
  | 'info'
  | 'len'
  | 'originClient'
  | 'originClock'
  | 'rightClient'
  | 'rightClock'
  | 'parentInfo'
  | 'parentClient'
  | 'parentClock'
  | 'strLen'
  | 'typeRef'
  | 'dsNumClients'
  | 'dsClient'
  | 'dsNumRanges'
  | 'dsClock'
  | 'dsLen'
  | 'svCount'
  | 'svClient'
  | 'svClock'
  | 'awCount'
  | 'awClient'
  | 'awClock'

/** One varUint (or info byte) of the update, at bytes [start, end). */
export interface Field {
  readonly kind: FieldKind
  readonly start: number
  readonly end: number
  readonly value: number
}

/** One struct of a block: its id range and bytes. */
export interface StructSpan {
  readonly client: number
  readonly clock: number
  readonly length: number
  /** info & 31: 0 GC, 10 skip, 1-9 an Item's content ref. */
  readonly ref: number
  readonly start: number
  readonly end: number
}

export interface BlockSpan {
  readonly client: number
  readonly clock: number
  /** From the block's first byte (#structs) to the end of its last struct. */
  readonly start: number
  /** Where its first struct starts. */
  readonly structsStart: number
  end: number
  readonly structs: StructSpan[]
}

export interface DeleteRange {
  readonly client: number
  readonly clock: number
  readonly len: number
}

export interface UpdateTokens {
  readonly fields: Field[]
  readonly blocks: BlockSpan[]
  /** Where the delete set starts (the end of the struct section), or -1 if not reached. */
  readonly dsStart: number
  readonly deletes: DeleteRange[]
  /** Every byte was read and the delete set ended exactly at the end. */
  readonly complete: boolean
}

const readField = (decoder: decoding.Decoder, fields: Field[], kind: FieldKind): number => {
  const start = decoder.pos
  const value = decoding.readVarUint(decoder)
  fields.push({ kind, start, end: decoder.pos, value })
  return value
}

const readString = (decoder: decoding.Decoder, fields: Field[]): string => {
  const start = decoder.pos
  const len = decoding.readVarUint(decoder)
  fields.push({ kind: 'strLen', start, end: decoder.pos, value: len })
  decoder.pos = start
  return decoding.readVarString(decoder)
}

/** Reads an Item's content; returns its length in clock units. */
const readContent = (decoder: decoding.Decoder, fields: Field[], ref: number): number => {
  switch (ref) {
    case 1:
      return readField(decoder, fields, 'len')
    case 2: {
      const n = readField(decoder, fields, 'len')
      for (let i = 0; i < n; i++) readString(decoder, fields)
      return n
    }
    case 3: {
      const start = decoder.pos
      const bytes = decoding.readVarUint8Array(decoder)
      fields.push({ kind: 'strLen', start, end: decoder.pos - bytes.byteLength, value: bytes.byteLength })
      return 1
    }
    case 4:
      return readString(decoder, fields).length
    case 5:
      readString(decoder, fields)
      return 1
    case 6:
      readString(decoder, fields)
      readString(decoder, fields)
      return 1
    case 7: {
      const typeRef = readField(decoder, fields, 'typeRef')
      if (typeRef === 3 || typeRef === 5) readString(decoder, fields)
      if (typeRef > 6) throw new Error(`unknown type ref ${typeRef}`)
      return 1
    }
    case 8: {
      const n = readField(decoder, fields, 'len')
      for (let i = 0; i < n; i++) decoding.readAny(decoder)
      return n
    }
    case 9:
      readString(decoder, fields)
      decoding.readAny(decoder)
      return 1
    default:
      throw new Error(`unknown content ref ${ref}`)
  }
}

/** Tokenizes a v1 update (see above); never throws. */
export const tokenizeUpdate = (update: Uint8Array): UpdateTokens => {
  const decoder = decoding.createDecoder(update)
  const fields: Field[] = []
  const blocks: BlockSpan[] = []
  const deletes: DeleteRange[] = []
  let dsStart = -1
  try {
    const numClients = readField(decoder, fields, 'numClients')
    for (let b = 0; b < numClients; b++) {
      const start = decoder.pos
      const numStructs = readField(decoder, fields, 'numStructs')
      const client = readField(decoder, fields, 'client')
      let clock = readField(decoder, fields, 'clock')
      const block: BlockSpan = { client, clock, start, structsStart: decoder.pos, end: decoder.pos, structs: [] }
      blocks.push(block)
      for (let s = 0; s < numStructs; s++) {
        const structStart = decoder.pos
        const info = decoding.readUint8(decoder)
        fields.push({ kind: 'info', start: structStart, end: decoder.pos, value: info })
        const ref = info & 31
        let length: number
        if (ref === 0 || ref === 10) {
          length = readField(decoder, fields, 'len')
        } else {
          if ((info & 0x80) !== 0) {
            readField(decoder, fields, 'originClient')
            readField(decoder, fields, 'originClock')
          }
          if ((info & 0x40) !== 0) {
            readField(decoder, fields, 'rightClient')
            readField(decoder, fields, 'rightClock')
          }
          if ((info & 0xc0) === 0) {
            if (readField(decoder, fields, 'parentInfo') === 1) readString(decoder, fields)
            else {
              readField(decoder, fields, 'parentClient')
              readField(decoder, fields, 'parentClock')
            }
            if ((info & 0x20) !== 0) readString(decoder, fields)
          }
          length = readContent(decoder, fields, ref)
        }
        block.structs.push({ client, clock, length, ref, start: structStart, end: decoder.pos })
        clock += length
        block.end = decoder.pos
      }
    }
    dsStart = decoder.pos
    const dsClients = readField(decoder, fields, 'dsNumClients')
    for (let c = 0; c < dsClients; c++) {
      const client = readField(decoder, fields, 'dsClient')
      const ranges = readField(decoder, fields, 'dsNumRanges')
      for (let r = 0; r < ranges; r++) {
        const clock = readField(decoder, fields, 'dsClock')
        const len = readField(decoder, fields, 'dsLen')
        deletes.push({ client, clock, len })
      }
    }
    return { fields, blocks, dsStart, deletes, complete: decoder.pos === update.byteLength }
  } catch {
    return { fields, blocks, dsStart, deletes, complete: false }
  }
}

/** Tokenizes a state vector (`varUint n · (client · clock)*n`); never throws. */
export const tokenizeStateVector = (stateVector: Uint8Array): Field[] => {
  const decoder = decoding.createDecoder(stateVector)
  const fields: Field[] = []
  try {
    const n = readField(decoder, fields, 'svCount')
    for (let i = 0; i < n; i++) {
      readField(decoder, fields, 'svClient')
      readField(decoder, fields, 'svClock')
    }
  } catch {
    // lenient: keep what was read
  }
  return fields
}

/** Tokenizes an awareness update (`varUint n · (client · clock · varString state)*n`); never throws. */
export const tokenizeAwareness = (update: Uint8Array): Field[] => {
  const decoder = decoding.createDecoder(update)
  const fields: Field[] = []
  try {
    const n = readField(decoder, fields, 'awCount')
    for (let i = 0; i < n; i++) {
      readField(decoder, fields, 'awClient')
      readField(decoder, fields, 'awClock')
      readString(decoder, fields)
    }
  } catch {
    // lenient: keep what was read
  }
  return fields
}
