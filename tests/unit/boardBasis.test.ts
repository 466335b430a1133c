import { describe, expect, it } from 'vitest'
import { boardBasis, type EntryHash } from '../../shared/src'

/* Which genesis a device trusts for a board, or whether it is legacy (SPEC [J1], [J13]). */

const G1 = `${'A'.repeat(42)}A` as EntryHash
const G2 = `${'B'.repeat(42)}A` as EntryHash
const nothing = { stored: null, linkGenesis: null, geneses: [], metadata: false } as const

describe('a board’s basis on this device', () => {
  it('[J1] the stored pin wins, then the link’s genesis, then the only genesis held', () => {
    expect(boardBasis({ ...nothing, stored: G1, linkGenesis: G2, geneses: [G2] })).toEqual({ basis: 'founded', pin: G1 })
    expect(boardBasis({ ...nothing, linkGenesis: G2, geneses: [G1, G2] })).toEqual({ basis: 'founded', pin: G2 })
    // The link names a genesis that has not arrived yet: founded, pinned already.
    expect(boardBasis({ ...nothing, linkGenesis: G2 })).toEqual({ basis: 'founded', pin: G2 })
    expect(boardBasis({ ...nothing, geneses: [G1], metadata: true })).toEqual({ basis: 'founded', pin: G1 })
  })

  it('[J1] rival geneses and nothing to say which: founded, trusting none', () => {
    expect(boardBasis({ ...nothing, geneses: [G1, G2], metadata: true })).toEqual({ basis: 'founded', pin: null })
  })

  it('[J13] metadata without a genesis is a legacy board, for good: neither a later genesis nor a link re-founds it', () => {
    expect(boardBasis({ ...nothing, metadata: true })).toEqual({ basis: 'legacy' })
    expect(boardBasis({ ...nothing, stored: 'legacy', geneses: [G1], metadata: true })).toEqual({ basis: 'legacy' })
    expect(boardBasis({ ...nothing, stored: 'legacy', linkGenesis: G1, geneses: [G1] })).toEqual({ basis: 'legacy' })
  })

  it('[J13] with neither metadata nor a genesis, the device waits', () => {
    expect(boardBasis(nothing)).toEqual({ basis: 'waiting' })
  })
})
