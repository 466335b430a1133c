import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { gunzipSync } from 'node:zlib'
import type * as Y from 'yjs'

/**
 * The real editing traces the project keeps in bench/data (see its README.md for their source
 * and licences): character-by-character histories of people typing, for replaying through the
 * relay. All three are sequential; the concurrent clownschool trace of the collection is the same
 * editing session as clownschool_flat, linearised.
 */

export const TRACE_NAMES = ['clownschool_flat', 'seph-blog1', 'automerge-paper'] as const
export type TraceName = (typeof TRACE_NAMES)[number]

export interface Trace {
  readonly name: TraceName
  readonly startContent: string
  readonly endContent: string
  readonly txns: readonly { readonly patches: readonly (readonly [number, number, string])[] }[]
}

const repoRoot = resolve(import.meta.dirname, '..', '..')

export const loadTrace = (name: TraceName): Trace => {
  const raw = gunzipSync(readFileSync(resolve(repoRoot, 'bench/data', `${name}.json.gz`))).toString('utf8')
  const trace = { name, ...(JSON.parse(raw) as Omit<Trace, 'name'>) }
  // Positions are code points; Y.Text counts UTF-16 units: the same only for BMP text.
  if (/[\ud800-\udfff]/.test(trace.endContent) || trace.startContent !== '') {
    throw new Error(`${name}: not a BMP trace starting empty; replaying it here would need position mapping`)
  }
  return trace
}

/** The content after the first `count` transactions, computed on a plain string. */
export const traceContent = (trace: Trace, count: number): string => {
  if (count >= trace.txns.length) return trace.endContent
  let text = trace.startContent
  for (const txn of trace.txns.slice(0, count)) {
    for (const [pos, del, ins] of txn.patches) text = text.slice(0, pos) + ins + text.slice(pos + del)
  }
  return text
}

/**
 * Types the first `count` transactions into `yText`, one Yjs transaction each (one update, one
 * frame), as fast as it can: it yields to the event loop only every `yieldEvery` transactions, so
 * the provider can send and receive.
 */
export const replayTrace = async (trace: Trace, count: number, yText: Y.Text, yieldEvery = 500): Promise<void> => {
  const doc = yText.doc
  if (doc === null) throw new Error('the Y.Text is not in a doc')
  const txns = trace.txns.slice(0, count)
  for (let i = 0; i < txns.length; i++) {
    doc.transact(() => {
      for (const [pos, del, ins] of (txns[i] as Trace['txns'][number]).patches) {
        if (del > 0) yText.delete(pos, del)
        if (ins !== '') yText.insert(pos, ins)
      }
    })
    if (i % yieldEvery === yieldEvery - 1) await new Promise((resolve) => setImmediate(resolve))
  }
}
