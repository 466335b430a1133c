import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addProposal, LIMITS, PeerboardError, readProposals, requireLine } from '../../shared/src'
import { ALICE, boardWith } from '../helpers/boards'

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const LINE_BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

/** Text with a fair share of spaces, line breaks, control characters and astral code points. */
const text = (maxLength: number): fc.Arbitrary<string> =>
  fc.string({
    unit: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('a', 'B', 'é', '堆', '🐝', ' ') },
      { weight: 1, arbitrary: fc.constantFrom('\n', '\r', '\t', '\u0000', '\u0085', '\u2028', '\u2029', '\u00a0') },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
    ),
    maxLength,
  })

describe('[V1] text inputs', () => {
  it('[V1] requireLine returns the trimmed text exactly when it is a non-empty single line within the limit', () => {
    fc.assert(
      fc.property(text(14), fc.integer({ min: 1, max: 10 }), (value, max) => {
        const trimmed = value.trim()
        const acceptable = trimmed.length > 0 && [...trimmed].length <= max && !LINE_BREAKING.test(trimmed)
        let result: string | PeerboardError
        try {
          result = requireLine('title', 'Title', value, max)
        } catch (error) {
          expect(error).toBeInstanceOf(PeerboardError)
          result = error as PeerboardError
        }
        if (acceptable) {
          expect(result).toBe(trimmed)
        } else {
          expect(result).toBeInstanceOf(PeerboardError)
          expect(result).toMatchObject({ code: 'invalid-input', field: 'title' })
          expect((result as PeerboardError).message.startsWith('Title')).toBe(true)
        }
      }),
      { numRuns: 1000 },
    )
  })

  it('[V1] addProposal either writes the trimmed title or refuses and writes nothing', () => {
    fc.assert(
      fc.property(fc.oneof(text(12), fc.string({ minLength: 195, maxLength: 205 })), (title) => {
        const { doc } = boardWith([])
        const before = Y.encodeStateAsUpdate(doc)
        try {
          addProposal(doc, { title, author: ALICE, authorName: 'Alice', createdAt: 1 })
        } catch (error) {
          expect(error).toBeInstanceOf(PeerboardError)
          expect(Y.encodeStateAsUpdate(doc)).toEqual(before)
          return
        }
        const [proposal] = readProposals(doc)
        expect(proposal?.title).toBe(title.trim())
        expect([...title.trim()].length).toBeLessThanOrEqual(LIMITS.proposalTitleMax)
        expect(LINE_BREAKING.test(title.trim())).toBe(false)
      }),
      { numRuns: 300 },
    )
  })
})
