import type { BoardId } from '../model/ids'
import { PeerboardError } from '../model/errors'
import { toBase64url } from '../rules/base64url'
import type { CanonicalValue } from '../rules/canonical'
import type { Signer } from '../rules/signatures'
import { entryDataProblem, type DataOfKind, type GenesisData } from './entryData'
import type { EntryGraph } from './EntryGraph'
import {
  encodeEntry,
  entryHashOf,
  entrySigningBytes,
  ENTRY_VERSION,
  MAX_DEPS,
  parseEntryText,
  type EntryHash,
  type EntryKind,
} from './entryFormat'
import type { VerifiedEntry } from './verifyEnvelope'

/**
 * Writing entries (SPEC [E5]). A device signs its next entry on its own chain: sequence number
 * one past its latest, `prev` that entry, and `deps` the heads of every other chain it holds, so
 * that the entry's causal past is everything the device had verified when it wrote it.
 */

export interface ChainPosition {
  readonly seq: number
  readonly prev: EntryHash | null
  readonly deps: readonly EntryHash[]
}

/** Where `device` writes next in `graph`. Refuses when the device's own chain is forked. */
export const nextPosition = (graph: EntryGraph, device: string): ChainPosition => {
  const tips = graph.tipsOf(device)
  if (tips.length > 1) {
    throw new PeerboardError('forbidden', 'This device’s chain is forked; it cannot sign anything more on this board.')
  }
  const tip = tips[0]
  const prev = tip === undefined ? null : tip.hash
  // The newest heads first: when there are more than MAX_DEPS, the rest stay reachable through them
  // or are named by the next entry.
  const heads = graph
    .heads()
    .filter((h) => h !== prev)
    .map((h) => graph.get(h))
    .sort((a, b) => (b?.height as number) - (a?.height as number) || ((a?.hash as string) < (b?.hash as string) ? -1 : 1))
    .slice(0, MAX_DEPS)
    .map((n) => n?.hash as EntryHash)
    .sort()
  return { seq: tip === undefined ? 1 : tip.entry.seq + 1, prev, deps: heads }
}

/** Signs an entry at `position`. Throws invalid-input when `data` is not a valid payload. */
export const signEntryAt = <K extends EntryKind>(
  signer: Signer,
  board: BoardId,
  kind: K,
  data: DataOfKind[K],
  position: ChainPosition,
  at: number,
): VerifiedEntry => {
  const problem = entryDataProblem(kind, data)
  if (problem !== null) throw new PeerboardError('invalid-input', `Cannot sign this ${kind}: ${problem}.`)
  const entry = {
    v: ENTRY_VERSION,
    board,
    kind,
    device: toBase64url(signer.publicKey),
    seq: position.seq,
    prev: position.prev,
    deps: [...position.deps],
    at,
    data: data as unknown as CanonicalValue,
  }
  const text = encodeEntry(entry)
  // The writer keeps what every reader gets: the entry as parsed from its text.
  const parsed = parseEntryText(text)
  if (typeof parsed === 'string') throw new PeerboardError('invalid-input', `Cannot sign this ${kind}: ${parsed}.`)
  return {
    hash: entryHashOf(kind, text),
    entry: parsed,
    envelope: { e: text, s: toBase64url(signer.sign(entrySigningBytes(kind, text))) },
  }
}

/** Signs the device's next entry on the graph's board and adds it to the graph. */
export const writeEntry = <K extends Exclude<EntryKind, 'genesis'>>(
  graph: EntryGraph,
  signer: Signer,
  kind: K,
  data: DataOfKind[K],
  at: number,
): VerifiedEntry => {
  const written = signEntryAt(signer, graph.board, kind, data, nextPosition(graph, toBase64url(signer.publicKey)), at)
  graph.addVerified(written)
  return written
}

/** A new board's genesis: the founder device's first entry on `board` (SPEC [J1]). */
export const foundBoard = (signer: Signer, board: BoardId, data: GenesisData, at: number): VerifiedEntry =>
  signEntryAt(signer, board, 'genesis', data, { seq: 1, prev: null, deps: [] }, at)
