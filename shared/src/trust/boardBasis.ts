import type { EntryHash } from './entryFormat'

/**
 * Which genesis a device trusts for a board, or whether the board is legacy (SPEC [J1], [J13]):
 * one pure function of what the device knows, so that every device decides alike.
 */

export interface BasisInput {
  /** What this device stored for the board: the genesis it pinned, "legacy", or nothing yet. */
  readonly stored: EntryHash | 'legacy' | null
  /** The genesis named by the link this device opened the board with, if any. */
  readonly linkGenesis: EntryHash | null
  /** Every genesis of this board this device holds (its store and the doc). */
  readonly geneses: readonly EntryHash[]
  /** The board's metadata has arrived. */
  readonly metadata: boolean
}

export type BoardBasis =
  /** Founded: the genesis to pin (null: several rivals and nothing says which; nothing counts). */
  | { readonly basis: 'founded'; readonly pin: EntryHash | null }
  | { readonly basis: 'legacy' }
  /** Nothing to go on yet: wait for the doc. */
  | { readonly basis: 'waiting' }

export const boardBasis = (input: BasisInput): BoardBasis => {
  // A board this device knows as legacy stays legacy: not even a link can re-found it under a genesis.
  if (input.stored === 'legacy') return { basis: 'legacy' }
  const pin = input.stored ?? input.linkGenesis ?? (input.geneses.length === 1 ? (input.geneses[0] as EntryHash) : null)
  if (pin !== null || input.geneses.length > 1) return { basis: 'founded', pin }
  return input.metadata ? { basis: 'legacy' } : { basis: 'waiting' }
}
