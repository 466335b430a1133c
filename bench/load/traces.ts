import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { gunzipSync } from 'node:zlib'
import * as Y from 'yjs'
import { repoRoot } from '../servers/serverProcess'

/** An editing trace of bench/data (see its README.md). */
export interface Trace {
  readonly name: string
  readonly startContent: string
  readonly endContent: string
  readonly txns: readonly { readonly patches: readonly (readonly [number, number, string])[] }[]
}

export const TRACE_NAMES = ['seph-blog1', 'clownschool_flat', 'automerge-paper'] as const
export type TraceName = (typeof TRACE_NAMES)[number]

const cache = new Map<string, Trace>()

export const loadTrace = (name: TraceName): Trace => {
  let trace = cache.get(name)
  if (trace === undefined) {
    const raw = gunzipSync(readFileSync(resolve(repoRoot, 'bench/data', `${name}.json.gz`))).toString('utf8')
    trace = { name, ...(JSON.parse(raw) as Omit<Trace, 'name'>) }
    cache.set(name, trace)
  }
  return trace
}

/**
 * The content after the first `count` transactions, computed on a plain string (independently of
 * Yjs): what a replay must produce. Positions are code points; the traces used here are BMP text,
 * which `replayUpdates` checks.
 */
export const expectedContent = (trace: Trace, count: number): string => {
  let text = trace.startContent
  for (const txn of trace.txns.slice(0, count)) {
    for (const [pos, del, ins] of txn.patches) text = text.slice(0, pos) + ins + text.slice(pos + del)
  }
  return text
}

/**
 * One Yjs update per transaction of the trace's first `count` transactions, typed into
 * `doc.getText(textName)` by a writer with client id `clientId`; the doc ends holding the result.
 */
export const replayUpdates = (
  trace: Trace,
  count: number,
  clientId: number,
  textName: string,
): { updates: Uint8Array[]; doc: Y.Doc } => {
  const doc = new Y.Doc()
  doc.clientID = clientId
  const yText = doc.getText(textName)
  if (trace.startContent !== '') yText.insert(0, trace.startContent)
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  updates.length = 0
  for (const txn of trace.txns.slice(0, count)) {
    doc.transact(() => {
      for (const [pos, del, ins] of txn.patches) {
        if (del > 0) yText.delete(pos, del)
        if (ins !== '') yText.insert(pos, ins)
      }
    })
  }
  if (trace.startContent !== '') throw new Error(`${trace.name}: traces with start content are not replayed here`)
  return { updates, doc }
}
