import * as Y from 'yjs'
import { valueJson } from './docFingerprint'

/**
 * What a relay's room may legitimately hold, given the updates it was entitled to integrate
 * (frames it took, honest clients' edits), so a test can find in the room anything that came only
 * from frames it closed as malformed (SPEC [Y6]).
 *
 * Each allowed update adds its structs: id ranges, and for items with content each unit's content
 * (`"a"`, `type:YMap`, `format:bold=true`...). Deleted ranges allowed are those the updates delete
 * explicitly or carry already deleted, plus whatever a reference doc that integrates all of them in
 * order ends up deleting (deletes implied by a deleted parent or an overwritten map key).
 *
 * `problems(state)` lists, for a room's whole state (`Y.encodeStateAsUpdate` of a doc synced from
 * it, pending structs included): structs whose ids no allowed update has, units whose content
 * differs from every allowed update's at that id, and deleted ranges nothing allowed deletes.
 */

class IdRanges {
  readonly #ranges = new Map<number, [number, number][]>()
  #sorted = true

  add(client: number, clock: number, length: number): void {
    if (length <= 0) return
    let list = this.#ranges.get(client)
    if (list === undefined) this.#ranges.set(client, (list = []))
    list.push([clock, clock + length])
    this.#sorted = false
  }

  /** The first part of [clock, clock + length) not covered, or null. */
  uncovered(client: number, clock: number, length: number): [number, number] | null {
    if (!this.#sorted) {
      for (const [id, list] of this.#ranges) {
        list.sort((a, b) => a[0] - b[0])
        const merged: [number, number][] = []
        for (const r of list) {
          const last = merged[merged.length - 1]
          if (last !== undefined && r[0] <= last[1]) last[1] = Math.max(last[1], r[1])
          else merged.push([r[0], r[1]])
        }
        this.#ranges.set(id, merged)
      }
      this.#sorted = true
    }
    const list = this.#ranges.get(client) ?? []
    let at = clock
    const end = clock + length
    for (const [start, stop] of list) {
      if (stop <= at) continue
      if (start > at) return [at, Math.min(start, end)]
      at = stop
      if (at >= end) return null
    }
    return at < end ? [at, end] : null
  }
}

const unitContent = (content: Y.Item['content'], i: number): string => {
  if (content instanceof Y.ContentString) return JSON.stringify(content.str[i])
  if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON) return valueJson(content.arr[i])
  if (content instanceof Y.ContentBinary) return `bin:${Buffer.from(content.content).toString('hex')}`
  if (content instanceof Y.ContentEmbed) return `embed:${valueJson(content.embed)}`
  if (content instanceof Y.ContentFormat) return `format:${content.key}=${valueJson(content.value)}`
  if (content instanceof Y.ContentType) return `type:${content.type.constructor.name}`
  if (content instanceof Y.ContentDoc) return `doc:${content.doc?.guid ?? '?'}`
  return `?${content.constructor.name}`
}

/** Content-bearing items longer than this are only checked by id (a forged length can be huge). */
const MAX_UNITS = 100_000

export class AllowedContent {
  readonly #ids = new IdRanges()
  readonly #deleted = new IdRanges()
  readonly #units = new Map<string, Set<string>>()
  readonly #reference = new Y.Doc()
  /** Allowed updates that threw when applied to the reference doc (the model may then be partial). */
  referenceFailures = 0

  /** An update the room was entitled to integrate (in the order the relay took it). */
  add(update: Uint8Array): void {
    try {
      Y.applyUpdate(this.#reference, update)
    } catch {
      this.referenceFailures++
    }
    this.#addStructs(update)
  }

  #addStructs(update: Uint8Array): void {
    let decoded: ReturnType<typeof Y.decodeUpdate>
    try {
      decoded = Y.decodeUpdate(update)
    } catch {
      return
    }
    for (const struct of decoded.structs) {
      if (struct instanceof Y.Skip) continue
      const { client, clock } = struct.id
      this.#ids.add(client, clock, struct.length)
      if (struct instanceof Y.GC || (struct instanceof Y.Item && struct.content instanceof Y.ContentDeleted)) {
        this.#deleted.add(client, clock, struct.length)
      } else if (struct instanceof Y.Item && struct.length <= MAX_UNITS) {
        for (let i = 0; i < struct.length; i++) {
          const key = `${client}.${clock + i}`
          let set = this.#units.get(key)
          if (set === undefined) this.#units.set(key, (set = new Set()))
          set.add(unitContent(struct.content, i))
        }
      }
    }
    for (const [client, items] of decoded.ds.clients) for (const d of items) this.#deleted.add(client, d.clock, d.len)
  }

  /** Folds in what the reference doc (every allowed update, in order) holds and deletes. */
  #settle(): void {
    try {
      this.#addStructs(Y.encodeStateAsUpdate(this.#reference))
    } catch {
      this.referenceFailures++
    }
  }

  /** What in `state` no allowed update accounts for (at most `limit` lines). */
  problems(state: Uint8Array, limit = 5): string[] {
    this.#settle()
    const out: string[] = []
    let decoded: ReturnType<typeof Y.decodeUpdate>
    try {
      decoded = Y.decodeUpdate(state)
    } catch (error) {
      return [`the room's state does not decode: ${String(error)}`]
    }
    for (const struct of decoded.structs) {
      if (out.length >= limit) break
      if (struct instanceof Y.Skip) continue
      const { client, clock } = struct.id
      const gap = this.#ids.uncovered(client, clock, struct.length)
      if (gap !== null) {
        out.push(`struct ${client}:[${gap[0]},${gap[1]}) came from no frame the relay took`)
        continue
      }
      if (!(struct instanceof Y.Item) || struct.content instanceof Y.ContentDeleted || struct.length > MAX_UNITS) continue
      for (let i = 0; i < struct.length; i++) {
        const have = unitContent(struct.content, i)
        const allowed = this.#units.get(`${client}.${clock + i}`)
        if (allowed !== undefined && !allowed.has(have)) {
          out.push(`unit ${client}.${clock + i} holds ${have.slice(0, 40)}, which no frame the relay took has there`)
          break
        }
      }
    }
    for (const [client, items] of decoded.ds.clients) {
      for (const d of items) {
        if (out.length >= limit) break
        const gap = this.#deleted.uncovered(client, d.clock, d.len)
        if (gap !== null) out.push(`deleted ${client}:[${gap[0]},${gap[1]}) by no frame the relay took`)
      }
    }
    return out
  }

  destroy(): void {
    this.#reference.destroy()
  }
}
