import type { EntryEnvelope } from '../model/ledger'

/**
 * The local verified store (SPEC [G17]): every entry and signature this device has verified, kept
 * apart from the doc's own stored copy (a rogue deletion syncs into that copy too). Keys are as in
 * the doc: entry id; `${entryId}:${deviceKey}` for signatures.
 */
export interface LedgerStoreContents {
  readonly entries: ReadonlyMap<string, EntryEnvelope>
  readonly sigs: ReadonlyMap<string, string>
  readonly declines: ReadonlyMap<string, string>
}

export const emptyLedgerStoreContents = (): LedgerStoreContents => ({
  entries: new Map(),
  sigs: new Map(),
  declines: new Map(),
})

/** How many items of each kind a set of store contents holds. */
export const countLedgerStoreContents = (
  contents: LedgerStoreContents,
): { readonly entries: number; readonly sigs: number; readonly declines: number } => ({
  entries: contents.entries.size,
  sigs: contents.sigs.size,
  declines: contents.declines.size,
})
