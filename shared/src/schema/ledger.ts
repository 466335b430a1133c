import type * as Y from 'yjs'

/**
 * The layout of a ledger's Y.Doc (room `<boardId>.l.<ledgerId>`), separate from the board doc so
 * that a ledger's history never burdens the board (DESIGN 2). Every top-level map is add-only:
 * a key is written once with a value every writer computes identically, and never deleted or
 * changed by our ops (SPEC [G3]). The schema only grows, as for the board ([S5]).
 */

/** Top-level Y.Map: EntryId -> EntryEnvelope `{body, signer, sig}` (a plain value). */
export const ROOT_LEDGER_ENTRIES = 'entries'
/** Top-level Y.Map: `${entryId}:${deviceKey}` -> consent signature, base64url (SPEC [G6]). */
export const ROOT_LEDGER_SIGS = 'sigs'
/** Top-level Y.Map: `${entryId}:${deviceKey}` -> decline signature, base64url (SPEC [G7]). */
export const ROOT_LEDGER_DECLINES = 'declines'
/**
 * Top-level Y.Map: `${code}/${digest}` -> `{code, label, decimals, declaredAt}` (a plain value);
 * `digest` is a hash of the definition, so two devices declaring one code differently write two
 * keys and both survive; reads pick one by a fixed rule (SPEC [G11]).
 */
export const ROOT_LEDGER_UNITS = 'units'
/**
 * Top-level Y.Map: `String(version)` -> true, written with a device's first write when missing.
 * The ledger's schema version is the highest key; add-only, so two versions never overwrite
 * each other (SPEC [G15]).
 */
export const ROOT_LEDGER_VERSIONS = 'versions'

/** Fields of a unit declaration value. */
export const LEDGER_UNIT = {
  code: 'code',
  label: 'label',
  decimals: 'decimals',
  declaredAt: 'declaredAt',
} as const

/**
 * The ledger schema version this code writes.
 * - 1: entries, sigs, declines, units, versions; entry bodies of version `v: 1`.
 */
export const LEDGER_SCHEMA_VERSION = 1

export const yLedgerEntriesOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT_LEDGER_ENTRIES)
export const yLedgerSigsOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT_LEDGER_SIGS)
export const yLedgerDeclinesOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT_LEDGER_DECLINES)
export const yLedgerUnitsOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT_LEDGER_UNITS)
export const yLedgerVersionsOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT_LEDGER_VERSIONS)

/** The key of a signature in `sigs` or `declines`: ids and keys are base64url, so ':' never occurs in one. */
export const ledgerSigKey = (entryId: string, deviceKey: string): string => `${entryId}:${deviceKey}`

/** The entry id and device key of a signature key, or null when it is not `id:key`. */
export const splitLedgerSigKey = (key: string): { readonly entryId: string; readonly deviceKey: string } | null => {
  const parts = key.split(':')
  return parts.length === 2 ? { entryId: parts[0] as string, deviceKey: parts[1] as string } : null
}
