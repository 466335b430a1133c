import type * as Y from 'yjs'
import { LOCAL_ORIGIN } from '../schema/origins'
import { ySignedEntriesOf } from '../schema/roots'
import type { EntryGraph } from './EntryGraph'
import type { ChainEnvelope, EntryHash } from './entryFormat'
import { asEnvelope, type VerifiedEntry } from './verifyEnvelope'

/**
 * The shared doc as a transport of signed entries (SPEC [E4], [E8]). Entries are written under
 * their hash and never changed; reading takes in whatever verifies, and a device puts back every
 * entry it verified that the doc lost or holds altered.
 */

export interface IngestReport {
  /** Entries verified and kept for the first time. */
  readonly added: number
  /** Keys whose value is not an entry of this board that verifies, with the reason. */
  readonly refused: readonly { readonly key: string; readonly reason: string }[]
  /** Keys holding a valid entry other than the one their name is the hash of. */
  readonly misplaced: readonly string[]
}

const sameEnvelope = (a: ChainEnvelope, b: ChainEnvelope): boolean => a.e === b.e && a.s === b.s

/** Takes every entry of the doc into the graph (a device's verified store). Writes nothing. */
export const ingestEntries = (doc: Y.Doc, graph: EntryGraph): IngestReport => {
  let added = 0
  const refused: { key: string; reason: string }[] = []
  const misplaced: string[] = []
  ySignedEntriesOf(doc).forEach((value, key) => {
    const envelope = asEnvelope(value)
    if (envelope === null) {
      refused.push({ key, reason: 'value is not a signed entry' })
      return
    }
    const known = graph.get(key as EntryHash)
    if (known !== undefined && sameEnvelope(known.envelope, envelope)) return
    const result = graph.add(envelope)
    if (result.status === 'refused') {
      refused.push({ key, reason: result.reason })
      return
    }
    if (result.status === 'added') added++
    if (result.hash !== key) misplaced.push(key)
  })
  return { added, refused, misplaced }
}

/**
 * Writes entries under their hashes in one transaction, skipping those already stored exactly.
 * Returns how many were written (for a re-publication: how many were restored).
 */
export const publishEntries = (doc: Y.Doc, entries: readonly (VerifiedEntry | { readonly hash: EntryHash; readonly envelope: ChainEnvelope })[]): number => {
  const yEntries = ySignedEntriesOf(doc)
  const due = entries.filter((x) => {
    const stored = asEnvelope(yEntries.get(x.hash))
    return stored === null || !sameEnvelope(stored, x.envelope)
  })
  if (due.length === 0) return 0
  doc.transact(() => {
    for (const x of due) yEntries.set(x.hash, { e: x.envelope.e, s: x.envelope.s })
  }, LOCAL_ORIGIN)
  return due.length
}

/** Puts back every verified entry the doc lost or holds altered (SPEC [E8]). Returns how many. */
export const restoreEntries = (doc: Y.Doc, graph: EntryGraph): number => {
  const due: { hash: EntryHash; envelope: ChainEnvelope }[] = []
  const yEntries = ySignedEntriesOf(doc)
  for (const [hash, envelope] of graph.envelopes()) {
    const stored = asEnvelope(yEntries.get(hash))
    if (stored === null || !sameEnvelope(stored, envelope)) due.push({ hash, envelope })
  }
  return publishEntries(doc, due)
}
