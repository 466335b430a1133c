import type { ChamberId, PassTest, PollMethod } from '../../../shared/src'

/**
 * The charter form's fields as people type them, and back to charter values (SPEC [H1]). Nothing is
 * validated here: a value that cannot be read (an empty or non-numeric percentage) is passed on as
 * NaN, and the shared check says what is wrong with it (SPEC [H6]).
 */

/** "60" -> 6000 basis points, "66.67" -> 6667; anything that is not a number -> NaN. */
export const percentToBp = (text: string): number => {
  const trimmed = text.trim()
  if (trimmed === '') return Number.NaN
  const value = Number(trimmed)
  return Number.isFinite(value) ? Math.round(value * 100) : Number.NaN
}

/** 6000 -> "60", 6667 -> "66.67". */
export const bpToPercent = (bp: number): string => String(Number((bp / 100).toFixed(2)))

/** Methods that take a pass test: advice, consent and majority have their own rule (SPEC [C2], [C7]). */
export const takesPassTest = (method: PollMethod): boolean =>
  method !== 'advice' && method !== 'consent' && method !== 'majority'

/** The default pass test as typed: `cmp` '' means none. */
export interface PassDraft {
  readonly cmp: '' | PassTest['cmp']
  readonly percent: string
  readonly of: PassTest['of']
}

export const passDraftOf = (pass: PassTest | null): PassDraft =>
  pass === null ? { cmp: '', percent: '50', of: 'score' } : { cmp: pass.cmp, percent: bpToPercent(pass.bp), of: pass.of }

/** The pass test a draft stands for under `method`: none for methods that take none, or when none is chosen. */
export const passFromDraft = (method: PollMethod, draft: PassDraft): PassTest | null =>
  !takesPassTest(method) || draft.cmp === '' ? null : { cmp: draft.cmp, bp: percentToBp(draft.percent), of: draft.of }

/** A chamber threshold as typed. */
export interface ChamberDraft {
  readonly chamber: ChamberId
  readonly percent: string
}

export const chamberDraftsOf = (chambers: readonly { readonly chamber: ChamberId; readonly bp: number }[]): ChamberDraft[] =>
  chambers.map((c) => ({ chamber: c.chamber, percent: bpToPercent(c.bp) }))

export const chambersFromDrafts = (drafts: readonly ChamberDraft[]): { chamber: ChamberId; bp: number }[] =>
  drafts.map((d) => ({ chamber: d.chamber, bp: percentToBp(d.percent) }))
