import { describe, expect, it } from 'vitest'
import { checkCharterContent, DEFAULT_CHARTER, type ChamberId } from '../../shared/src'
import {
  bpToPercent,
  chamberDraftsOf,
  chambersFromDrafts,
  passDraftOf,
  passFromDraft,
  percentToBp,
  takesPassTest,
} from '../../client/src/charter/charterDraft'

/* The charter form's fields as typed, back to charter values (SPEC [H1], [H6], [C7], [C11]). */

const WORKERS = 'workers_chamber_id_001' as ChamberId

describe('[H1] charter fields as typed', () => {
  it('[H1] percentages become basis points and back', () => {
    expect(percentToBp('60')).toBe(6000)
    expect(percentToBp(' 66.67 ')).toBe(6667)
    expect(percentToBp('66.666')).toBe(6667)
    expect(percentToBp('')).toBeNaN()
    expect(percentToBp('lots')).toBeNaN()
    expect(bpToPercent(6000)).toBe('60')
    expect(bpToPercent(6667)).toBe('66.67')
    expect(chambersFromDrafts(chamberDraftsOf([{ chamber: WORKERS, bp: 6667 }]))).toEqual([{ chamber: WORKERS, bp: 6667 }])
  })

  it('[C7] a pass test only for methods that take one, and only when chosen', () => {
    expect(['advice', 'consent', 'majority'].filter((m) => takesPassTest(m as never))).toEqual([])
    expect(takesPassTest('supermajority')).toBe(true)
    const draft = passDraftOf({ cmp: '>=', bp: 6666, of: 'score' })
    expect(passFromDraft('supermajority', draft)).toEqual({ cmp: '>=', bp: 6666, of: 'score' })
    expect(passFromDraft('majority', draft)).toBeNull()
    expect(passFromDraft('score', passDraftOf(null))).toBeNull()
  })

  it('[H6] what cannot be read is passed on, and the shared check says what is wrong', () => {
    const chambers = chambersFromDrafts([{ chamber: WORKERS, percent: '' }])
    expect(checkCharterContent({ ...DEFAULT_CHARTER, chambers })).toBe('a chamber threshold is malformed')
    expect(checkCharterContent({ ...DEFAULT_CHARTER, chambers: chambersFromDrafts([{ chamber: WORKERS, percent: '150' }]) })).toBe(
      'a chamber threshold is malformed',
    )
    const params = { pass: passFromDraft('supermajority', { cmp: '>=', percent: 'x', of: 'score' }), dots: 0, choices: 0 }
    expect(checkCharterContent({ ...DEFAULT_CHARTER, method: 'supermajority', params })).toMatch(/pass share/)
    expect(checkCharterContent({ ...DEFAULT_CHARTER, openers: 'listed', openerList: [] })).toBe('nobody is listed to open polls')
    const ok = checkCharterContent({ ...DEFAULT_CHARTER, chambers: chambersFromDrafts([{ chamber: WORKERS, percent: '60' }]) })
    expect(typeof ok === 'string' ? ok : ok.chambers).toEqual([{ chamber: WORKERS, bp: 6000 }])
  })
})
