import * as Y from 'yjs'

/**
 * What a Y.Doc holds, in a form two docs can be compared by, whatever the history that built them
 * (items split or merged differently, deleted content GC'd or not):
 *
 * - `content`: every root type (any name, typed or not), each as its visible items in order and
 *   its visible map entries by key, each item unit as `client.clock:content`, nested types
 *   recursively. Two docs with equal `content` show the same values made by the same structs.
 * - `stateVector`: client -> clock, sorted.
 * - `deletes`: the deleted id ranges (merged), sorted.
 * - `pending`: whether structs or deletes wait for something missing (not part of equality: a
 *   relay may drop what it cannot integrate).
 */
export interface DocFingerprint {
  readonly content: string
  readonly stateVector: string
  readonly deletes: string
  readonly pending: boolean
}

/**
 * JSON of a Yjs value, BigInts included: lib0's `readAny` decodes type 122 as a BigInt, so a
 * ContentAny (or an embed, or a format value) a hostile frame carries can hold one, and plain
 * JSON.stringify throws on it. A BigInt is written as `{"$bigint":"…"}`.
 */
export const valueJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v)) ?? 'undefined'

const unit = (content: Y.Item['content'], i: number): string => {
  if (content instanceof Y.ContentString) return JSON.stringify(content.str[i])
  if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON) return valueJson(content.arr[i])
  if (content instanceof Y.ContentBinary) return `bin:${Buffer.from(content.content).toString('hex')}`
  if (content instanceof Y.ContentEmbed) return `embed:${valueJson(content.embed)}`
  if (content instanceof Y.ContentFormat) return `format:${content.key}=${valueJson(content.value)}`
  if (content instanceof Y.ContentType) return `type:${typeName(content.type)}{${typeContent(content.type)}}`
  if (content instanceof Y.ContentDoc) return `doc:${content.doc?.guid ?? '?'}`
  return `?${content.constructor.name}`
}

const typeName = (type: Y.AbstractType<unknown>): string =>
  type instanceof Y.XmlElement ? `XmlElement<${type.nodeName}>` : type instanceof Y.XmlHook ? `XmlHook<${type.hookName}>` : type.constructor.name

const units = (item: Y.Item): string[] => {
  const out: string[] = []
  for (let i = 0; i < item.length; i++) out.push(`${item.id.client}.${item.id.clock + i}:${unit(item.content, i)}`)
  return out
}

const typeContent = (type: Y.AbstractType<unknown>): string => {
  const list: string[] = []
  for (let item = type._start; item !== null; item = item.right) if (!item.deleted) list.push(...units(item))
  const entries: string[] = []
  for (const key of [...type._map.keys()].sort()) {
    const item = type._map.get(key)
    if (item !== undefined && !item.deleted) entries.push(`${JSON.stringify(key)}=${units(item).at(-1) ?? ''}`)
  }
  return `[${list.join(',')}]{${entries.join(',')}}`
}

export const docFingerprint = (doc: Y.Doc): DocFingerprint => {
  const roots = [...doc.share.keys()].sort().map((key) => {
    const type = doc.share.get(key) as Y.AbstractType<unknown>
    return `${JSON.stringify(key)}:${typeContent(type)}`
  })
  // Empty roots exist only because something asked for them (doc.get, or a struct naming them).
  const content = roots.filter((r) => !r.endsWith(':[]{}')).join('\n')
  const stateVector = [...Y.decodeStateVector(Y.encodeStateVector(doc))]
    .sort(([a], [b]) => a - b)
    .map(([client, clock]) => `${client}:${clock}`)
    .join(',')
  const ds = Y.createDeleteSetFromStructStore(doc.store)
  const deletes = [...ds.clients]
    .sort(([a], [b]) => a - b)
    .map(([client, items]) => `${client}:${items.map((d) => `${d.clock}+${d.len}`).join(' ')}`)
    .join(',')
  return { content, stateVector, deletes, pending: doc.store.pendingStructs !== null || doc.store.pendingDs !== null }
}

/** Where two fingerprints first differ, with some context, for an error message; null when equal. */
export const fingerprintDifference = (a: DocFingerprint, b: DocFingerprint): string | null => {
  for (const key of ['stateVector', 'deletes', 'content'] as const) {
    const left = a[key]
    const right = b[key]
    if (left === right) continue
    let i = 0
    while (i < left.length && left[i] === right[i]) i++
    const from = Math.max(0, i - 80)
    return `${key} differs at ${i}:\n  …${left.slice(from, i + 160)}\n  …${right.slice(from, i + 160)}`
  }
  return null
}

/** A doc loaded from one update (a snapshot). Throws what applyUpdate throws. */
export const docFrom = (update: Uint8Array, gc = true): Y.Doc => {
  const doc = new Y.Doc({ gc })
  Y.applyUpdate(doc, update)
  return doc
}
