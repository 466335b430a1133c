import { describe, expect, it } from 'vitest'
import { formatSummary, searchBase, searchHazards } from '../helpers/hazardSearch'

/**
 * [Y6] The long version of the Yjs-level search in tests/unit/fuzzFrames.test.ts:
 * PEERBOARD_FUZZ_CASES mutated updates (default 100,000) over each of three recordings, every
 * hazardous one replayed through the reference trial-apply, which must contain it. About 5 ms a
 * case. A failing seed belongs in that file's PINNED list.
 */

const CASES = Number(process.env.PEERBOARD_FUZZ_CASES ?? 100_000)

describe('[Y6] seeded search, long', () => {
  it.each([1, 3, 7])(`[Y6] recording %i: ${CASES} mutated updates, each hazard contained by the reference trial-apply`, (recording) => {
    const summary = searchHazards(searchBase(recording), 1, CASES)
    console.log(formatSummary(recording, summary))
    expect(summary.referenceProblems.slice(0, 20)).toEqual([])
  }, 4 * 3600_000)
})
