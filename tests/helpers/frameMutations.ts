import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { Recording } from './frameRecorder'
import { pick, shuffled } from './prng'
import {
  tokenizeAwareness,
  tokenizeStateVector,
  tokenizeUpdate,
  type DeleteRange,
  type Field,
  type FieldKind,
  type UpdateTokens,
} from './updateTokens'

/**
 * The mutations of frameFuzzer.ts, on a frame's payload: a Yjs update, a state vector or an
 * awareness update. `mutatePayload` draws one (bytes, a field, or structure; see frameFuzzer.ts)
 * and returns the new payload with a label saying what it did.
 */

type Random = () => number

export type PayloadKind = 'update' | 'stateVector' | 'awareness'

export interface Context {
  readonly recording: Recording
  /** Another recorded update, for splices. */
  readonly other: Uint8Array
}

export const pickOf = <T>(random: Random, items: readonly T[]): T => items[pick(random, items.length)] as T

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.byteLength
  }
  return out
}

const varUint = (value: number): Uint8Array => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, value)
  return encoding.toUint8Array(encoder)
}

/** Replaces the field's bytes with `value` as a varUint. */
const setField = (payload: Uint8Array, field: Field, value: number): Uint8Array =>
  concat(payload.subarray(0, field.start), varUint(value), payload.subarray(field.end))

// ---------------------------------------------------------------------------------------------
// Byte-level mutations

const EDGE_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x0a, 0x09, 0x07, 0x08, 0xc0, 0xe0]

const bitFlip = (random: Random, p: Uint8Array): [Uint8Array, string] => {
  if (p.byteLength === 0) return [p, 'bitflip(empty)']
  const out = Uint8Array.from(p)
  const at: number[] = []
  for (let n = 1 + pick(random, 3); n > 0; n--) {
    const bit = pick(random, out.byteLength * 8)
    out[bit >> 3] = (out[bit >> 3] as number) ^ (1 << (bit & 7))
    at.push(bit)
  }
  return [out, `bitflip bits ${at.join(',')}`]
}

const byteSet = (random: Random, p: Uint8Array): [Uint8Array, string] => {
  if (p.byteLength === 0) return [p, 'byteset(empty)']
  const out = Uint8Array.from(p)
  const at: string[] = []
  for (let n = 1 + pick(random, 3); n > 0; n--) {
    const i = pick(random, out.byteLength)
    const value = random() < 0.6 ? pickOf(random, EDGE_BYTES) : pick(random, 256)
    out[i] = value
    at.push(`${i}=${value}`)
  }
  return [out, `byteset ${at.join(',')}`]
}

export const truncate = (random: Random, p: Uint8Array): [Uint8Array, string] => {
  const at = pick(random, Math.max(1, p.byteLength))
  return [p.slice(0, at), `truncate@${at}/${p.byteLength}`]
}

const insertBytes = (random: Random, p: Uint8Array): [Uint8Array, string] => {
  const at = pick(random, p.byteLength + 1)
  const bytes = Uint8Array.from({ length: 1 + pick(random, 4) }, () => pick(random, 256))
  return [concat(p.subarray(0, at), bytes, p.subarray(at)), `insert ${bytes.byteLength} bytes @${at}`]
}

const deleteBytes = (random: Random, p: Uint8Array): [Uint8Array, string] => {
  const at = pick(random, Math.max(1, p.byteLength))
  const n = 1 + pick(random, 4)
  return [concat(p.subarray(0, at), p.subarray(at + n)), `delete ${n} bytes @${at}`]
}

const repeatChunk = (random: Random, p: Uint8Array): [Uint8Array, string] => {
  const from = pick(random, Math.max(1, p.byteLength))
  const to = Math.min(p.byteLength, from + 1 + pick(random, 16))
  return [concat(p.subarray(0, to), p.subarray(from, to), p.subarray(to)), `repeat [${from},${to})`]
}

const spliceBytes = (random: Random, p: Uint8Array, q: Uint8Array): [Uint8Array, string] => {
  const i = pick(random, p.byteLength + 1)
  const j = pick(random, q.byteLength + 1)
  return [concat(p.subarray(0, i), q.subarray(j)), `splice bytes a[0,${i})+b[${j},)`]
}

// ---------------------------------------------------------------------------------------------
// Field-level mutations

const LENGTH_KINDS: readonly FieldKind[] = ['numClients', 'numStructs', 'len', 'strLen', 'typeRef', 'parentInfo', 'dsNumClients', 'dsNumRanges', 'dsLen', 'svCount', 'awCount']
const CLOCK_KINDS: readonly FieldKind[] = ['clock', 'originClock', 'rightClock', 'parentClock', 'dsClock', 'svClock', 'awClock']
const CLIENT_KINDS: readonly FieldKind[] = ['client', 'originClient', 'rightClient', 'parentClient', 'dsClient', 'svClient', 'awClient']

const forgedLength = (random: Random, value: number): number =>
  pickOf(random, [0, 1, 2, value + 1, Math.max(0, value - 1), value * 2 + 1, 127, 128, 255, 16_384, 2 ** 31 - 1, 2 ** 32 - 1, 2 ** 53 - 1, pick(random, 1000)])

export const hugeClock = (random: Random, value: number): number =>
  pickOf(random, [2 ** 20 + pick(random, 1000), 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 40, 2 ** 53 - 1, value + 1 + pick(random, 1000), value + 2 ** 30])

const otherClient = (random: Random, value: number, known: readonly number[]): number => {
  const choices = [...known.filter((c) => c !== value), 0, 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, pick(random, 2 ** 32), value ^ 1]
  return pickOf(random, choices)
}

const mutateField = (
  random: Random,
  p: Uint8Array,
  fields: readonly Field[],
  kinds: readonly FieldKind[],
  value: (field: Field) => number,
  name: string,
): [Uint8Array, string] | null => {
  const candidates = fields.filter((f) => kinds.includes(f.kind))
  if (candidates.length === 0) return null
  const field = pickOf(random, candidates)
  const next = value(field)
  return [setField(p, field, next), `${name} ${field.kind}@${field.start} ${field.value}->${next}`]
}

const clientsOf = (tokens: UpdateTokens, recording: Recording): number[] => [
  ...new Set([...recording.clients, ...tokens.blocks.map((b) => b.client), ...tokens.deletes.map((d) => d.client)]),
]

/** Every occurrence of one client id (block headers, origins, parents, deletes) becomes another. */
const reidAll = (random: Random, p: Uint8Array, tokens: UpdateTokens, recording: Recording): [Uint8Array, string] | null => {
  const ids = clientsOf(tokens, recording).filter((c) => tokens.fields.some((f) => CLIENT_KINDS.includes(f.kind) && f.value === c))
  if (ids.length === 0) return null
  const from = pickOf(random, ids)
  const to = random() < 0.5 ? 1 + pick(random, 2 ** 32 - 2) : otherClient(random, from, recording.clients)
  let out = p
  // From the end, so earlier offsets stay valid.
  const fields = tokens.fields.filter((f) => CLIENT_KINDS.includes(f.kind) && f.value === from).reverse()
  for (const field of fields) out = setField(out, field, to)
  return [out, `reid ${from}->${to} (${fields.length} fields)`]
}

// ---------------------------------------------------------------------------------------------
// Structural mutations of updates

interface BlockPlan {
  client: number
  clock: number
  structs: Uint8Array[]
  /** Written instead of structs.length when set (a forged #structs). */
  count?: number
}

interface DsGroup {
  client: number
  ranges: { clock: number; len: number }[]
}

const blocksOf = (p: Uint8Array, tokens: UpdateTokens): BlockPlan[] =>
  tokens.blocks.map((b) => ({ client: b.client, clock: b.clock, structs: b.structs.map((s) => p.slice(s.start, s.end)) }))

const groupsOf = (deletes: readonly DeleteRange[]): DsGroup[] => {
  const groups: DsGroup[] = []
  for (const d of deletes) {
    const last = groups[groups.length - 1]
    if (last !== undefined && last.client === d.client) last.ranges.push({ clock: d.clock, len: d.len })
    else groups.push({ client: d.client, ranges: [{ clock: d.clock, len: d.len }] })
  }
  return groups
}

const encodeUpdate = (blocks: readonly BlockPlan[], groups: readonly DsGroup[]): Uint8Array => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, blocks.length)
  for (const block of blocks) {
    encoding.writeVarUint(encoder, block.count ?? block.structs.length)
    encoding.writeVarUint(encoder, block.client)
    encoding.writeVarUint(encoder, block.clock)
    for (const struct of block.structs) encoding.writeUint8Array(encoder, struct)
  }
  encoding.writeVarUint(encoder, groups.length)
  for (const group of groups) {
    encoding.writeVarUint(encoder, group.client)
    encoding.writeVarUint(encoder, group.ranges.length)
    for (const r of group.ranges) {
      encoding.writeVarUint(encoder, r.clock)
      encoding.writeVarUint(encoder, r.len)
    }
  }
  return encoding.toUint8Array(encoder)
}

const spliceStructs = (random: Random, a: Uint8Array, ta: UpdateTokens, b: Uint8Array, tb: UpdateTokens): [Uint8Array, string] | null => {
  const blocksA = blocksOf(a, ta)
  const blocksB = blocksOf(b, tb)
  if (blocksA.length + blocksB.length === 0) return null
  const variant = pick(random, 4)
  if (variant === 0 || blocksA.length === 0 || blocksB.length === 0) {
    // Whole blocks of both, one delete set.
    const blocks = [...blocksA.filter(() => random() < 0.7), ...blocksB.filter(() => random() < 0.7)]
    const ds = random() < 0.5 ? ta.deletes : tb.deletes
    return [encodeUpdate(blocks, groupsOf(ds)), `splice blocks a+b (${blocks.length}), ds of ${ds === ta.deletes ? 'a' : 'b'}`]
  }
  if (variant === 1) {
    // One block: a's head, b's tail, under a's client and clock.
    const ia = pick(random, blocksA.length)
    const blockA = blocksA[ia] as BlockPlan
    const blockB = pickOf(random, blocksB)
    const head = pick(random, blockA.structs.length + 1)
    const tail = pick(random, blockB.structs.length + 1)
    blocksA[ia] = { ...blockA, structs: [...blockA.structs.slice(0, head), ...blockB.structs.slice(tail)] }
    return [encodeUpdate(blocksA, groupsOf(ta.deletes)), `splice structs a.block${ia}[0,${head})+b[${tail},)`]
  }
  if (variant === 2) {
    // a's structs, b's delete set.
    return [encodeUpdate(blocksA, groupsOf(tb.deletes)), 'splice a structs + b ds']
  }
  // b's blocks, interleaved into a.
  const blocks = [...blocksA]
  for (const block of blocksB) blocks.splice(pick(random, blocks.length + 1), 0, block)
  return [encodeUpdate(blocks, groupsOf([...ta.deletes, ...tb.deletes])), 'splice interleaved blocks, both ds']
}

const structOp = (random: Random, p: Uint8Array, tokens: UpdateTokens): [Uint8Array, string] | null => {
  const blocks = blocksOf(p, tokens)
  const withStructs = blocks.map((b, i) => [b, i] as const).filter(([b]) => b.structs.length > 0)
  if (withStructs.length === 0) return null
  const [block, bi] = pickOf(random, withStructs)
  const i = pick(random, block.structs.length)
  const j = pick(random, block.structs.length)
  const op = pick(random, 6)
  const structs = [...block.structs]
  let label: string
  if (op === 0) {
    structs.splice(i, 1)
    label = `drop struct ${i}`
  } else if (op === 1) {
    structs.splice(i, 0, structs[i] as Uint8Array)
    label = `repeat struct ${i}`
  } else if (op === 2) {
    ;[structs[i], structs[j]] = [structs[j] as Uint8Array, structs[i] as Uint8Array]
    label = `swap structs ${i},${j}`
  } else if (op === 3) {
    structs.reverse()
    label = 'reverse structs'
  } else if (op === 4) {
    blocks.push({ client: block.client, clock: block.clock, structs: [...block.structs] })
    label = 'repeat block'
  } else {
    // A block for the same client starting later, as if a client sent two runs in one update.
    blocks.push({ client: block.client, clock: block.clock + pick(random, 50), structs: structs.slice(i) })
    label = `second block for client @+`
  }
  blocks[bi] = { ...block, structs }
  return [encodeUpdate(blocks, groupsOf(tokens.deletes)), `${label} in block ${bi}`]
}

const infoByte = (random: Random, p: Uint8Array, tokens: UpdateTokens): [Uint8Array, string] | null => {
  const infos = tokens.fields.filter((f) => f.kind === 'info')
  if (infos.length === 0) return null
  const field = pickOf(random, infos)
  const next = random() < 0.5 ? field.value ^ (0x20 << pick(random, 3)) : (field.value & 0xe0) | pick(random, 16)
  const out = Uint8Array.from(p)
  out[field.start] = next
  return [out, `info@${field.start} ${field.value}->${next}`]
}

const dsMix = (random: Random, a: Uint8Array, ta: UpdateTokens, tb: UpdateTokens, recording: Recording): [Uint8Array, string] | null => {
  if (ta.dsStart < 0) return null
  const own = ta.deletes
  const other = tb.deletes
  const clients = clientsOf(ta, recording)
  const variant = pick(random, 8)
  let groups: DsGroup[]
  let label: string
  if (variant === 0) {
    groups = [...groupsOf(own), ...groupsOf(own)]
    label = 'ds twice'
  } else if (variant === 1) {
    groups = groupsOf(other)
    label = 'ds of b'
  } else if (variant === 2) {
    const mixed = shuffled(random, [...own, ...other])
    groups = mixed.map((d) => ({ client: d.client, ranges: [{ clock: d.clock, len: d.len }] }))
    label = 'ds mixed a+b, one group per range'
  } else if (variant === 3) {
    groups = groupsOf(own).map((g) => ({
      client: g.client,
      ranges: g.ranges.flatMap((r) => [r, { clock: Math.max(0, r.clock - 1), len: r.len + 2 }]),
    }))
    label = 'ds overlapping ranges'
  } else if (variant === 4) {
    groups = groupsOf(own).map((g) => ({ client: g.client, ranges: [...g.ranges].reverse() })).reverse()
    label = 'ds reversed'
  } else if (variant === 5) {
    groups = [...groupsOf(own), { client: pickOf(random, clients.length > 0 ? clients : [1]), ranges: [{ clock: pick(random, 100), len: 0 }] }]
    label = 'ds zero-length range'
  } else if (variant === 6) {
    const client = pickOf(random, clients.length > 0 ? clients : [1])
    const clock = random() < 0.5 ? pick(random, 50) : hugeClock(random, 0)
    const len = random() < 0.5 ? pickOf(random, [2 ** 31, 2 ** 32 - 1, 2 ** 53 - 1 - clock, 1_000_000]) : 1 + pick(random, 100)
    groups = [...groupsOf(own), { client, ranges: [{ clock, len }] }]
    label = `ds + ${client}@${clock} len ${len}`
  } else {
    groups = [...groupsOf(own), { client: 1 + pick(random, 2 ** 32 - 2), ranges: [{ clock: 0, len: 1 + pick(random, 20) }] }]
    label = 'ds for an unknown client'
  }
  return [concat(a.subarray(0, ta.dsStart), encodeUpdate([], groups).subarray(1)), label]
}

// ---------------------------------------------------------------------------------------------
// Awareness

interface AwarenessEntry {
  client: number
  clock: number
  state: string
}

const readAwarenessEntries = (update: Uint8Array): AwarenessEntry[] | null => {
  try {
    const decoder = decoding.createDecoder(update)
    const entries: AwarenessEntry[] = []
    for (let n = decoding.readVarUint(decoder); n > 0; n--) {
      entries.push({ client: decoding.readVarUint(decoder), clock: decoding.readVarUint(decoder), state: decoding.readVarString(decoder) })
    }
    return entries
  } catch {
    return null
  }
}

const encodeAwarenessEntries = (entries: readonly AwarenessEntry[], count = entries.length): Uint8Array => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, count)
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.client)
    encoding.writeVarUint(encoder, entry.clock)
    encoding.writeVarString(encoder, entry.state)
  }
  return encoding.toUint8Array(encoder)
}

const STATES = ['null', '{', '"x"', '[]', '1e999', '{"a":'.repeat(40), '{"user":{"name":"\\u0000"}}', 'true', '{"user":null}', 'nul', '']

const awarenessOp = (random: Random, p: Uint8Array): [Uint8Array, string] | null => {
  const entries = readAwarenessEntries(p)
  if (entries === null || entries.length === 0) return null
  const entry = pickOf(random, entries)
  switch (pick(random, 5)) {
    case 0:
      entry.state = pickOf(random, STATES)
      return [encodeAwarenessEntries(entries), `awareness state "${entry.state.slice(0, 12)}"`]
    case 1:
      entries.push({ ...entry, clock: entry.clock + pick(random, 3) })
      return [encodeAwarenessEntries(entries), 'awareness entry repeated']
    case 2:
      entry.client = otherClient(random, entry.client, [])
      return [encodeAwarenessEntries(entries), `awareness client ${entry.client}`]
    case 3:
      entry.clock = random() < 0.5 ? 0 : hugeClock(random, entry.clock)
      return [encodeAwarenessEntries(entries), `awareness clock ${entry.clock}`]
    default: {
      const count = forgedLength(random, entries.length)
      return [encodeAwarenessEntries(entries, count), `awareness count ${count}`]
    }
  }
}

// ---------------------------------------------------------------------------------------------

/** One mutation of a payload of the given kind. */
export const mutatePayload = (random: Random, kind: PayloadKind, p: Uint8Array, context: Context): [Uint8Array, string] => {
  const byteLevel = (): [Uint8Array, string] => {
    switch (pick(random, 7)) {
      case 0:
      case 1:
        return bitFlip(random, p)
      case 2:
        return byteSet(random, p)
      case 3:
        return truncate(random, p)
      case 4:
        return insertBytes(random, p)
      case 5:
        return deleteBytes(random, p)
      default:
        return random() < 0.5 ? repeatChunk(random, p) : spliceBytes(random, p, context.other)
    }
  }
  if (random() < 0.3) return byteLevel()
  if (kind === 'awareness') {
    const fields = tokenizeAwareness(p)
    const choice = pick(random, 4)
    const result =
      choice === 0
        ? awarenessOp(random, p)
        : choice === 1
          ? mutateField(random, p, fields, LENGTH_KINDS, (f) => forgedLength(random, f.value), 'forge')
          : choice === 2
            ? mutateField(random, p, fields, CLIENT_KINDS, (f) => otherClient(random, f.value, []), 'client')
            : mutateField(random, p, fields, CLOCK_KINDS, (f) => hugeClock(random, f.value), 'hugeClock')
    return result ?? byteLevel()
  }
  if (kind === 'stateVector') {
    const fields = tokenizeStateVector(p)
    const result =
      pick(random, 3) === 0
        ? mutateField(random, p, fields, LENGTH_KINDS, (f) => forgedLength(random, f.value), 'forge')
        : random() < 0.5
          ? mutateField(random, p, fields, CLOCK_KINDS, (f) => hugeClock(random, f.value), 'hugeClock')
          : mutateField(random, p, fields, CLIENT_KINDS, (f) => otherClient(random, f.value, context.recording.clients), 'client')
    return result ?? byteLevel()
  }
  const tokens = tokenizeUpdate(p)
  const clients = clientsOf(tokens, context.recording)
  let result: [Uint8Array, string] | null
  switch (pick(random, 10)) {
    case 0:
    case 1:
      result = mutateField(random, p, tokens.fields, LENGTH_KINDS, (f) => forgedLength(random, f.value), 'forge')
      break
    case 2:
      result = mutateField(random, p, tokens.fields, CLOCK_KINDS, (f) => hugeClock(random, f.value), 'hugeClock')
      break
    case 3:
      result =
        random() < 0.5
          ? mutateField(random, p, tokens.fields, CLIENT_KINDS, (f) => otherClient(random, f.value, clients), 'client')
          : reidAll(random, p, tokens, context.recording)
      break
    case 4:
      result = spliceStructs(random, p, tokens, context.other, tokenizeUpdate(context.other))
      break
    case 5:
    case 6:
      result = dsMix(random, p, tokens, tokenizeUpdate(context.other), context.recording)
      break
    case 7:
      result = structOp(random, p, tokens)
      break
    case 8:
      result = infoByte(random, p, tokens)
      break
    default:
      // Truncation inside the delete set: the structs before it are whole.
      result = tokens.dsStart > 0 ? truncateAfter(random, p, tokens.dsStart) : null
  }
  return result ?? byteLevel()
}

const truncateAfter = (random: Random, p: Uint8Array, from: number): [Uint8Array, string] => {
  const at = from + pick(random, Math.max(1, p.byteLength - from))
  return [p.slice(0, at), `truncate in ds @${at}/${p.byteLength}`]
}
