import type { ChamberTally, PollTally } from '../../../shared/src'

/**
 * Chamber results in words (SPEC [C11]): each chamber passes on its own when its approving stances
 * are at least its threshold of its approving + opposing stances.
 */

/** A share in basis points as a percentage for people: 5000 -> "50%", 6667 -> "66.67%". */
export const percentText = (bp: number): string => `${Number((bp / 100).toFixed(2))}%`

/** "Neighbours: 2 of 3 electors took a stance; 1 approving of 2 for or against, 60% needed — does not pass". */
export const chamberResultText = (c: ChamberTally): string =>
  `${c.name}: ${c.cast} of ${c.electors} ${c.electors === 1 ? 'elector' : 'electors'} took a stance; ` +
  `${c.approve} approving of ${c.base} for or against, ${percentText(c.bp)} needed — ${c.passed ? 'passes' : 'does not pass'}`

const listText = (names: readonly string[]): string =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`

/**
 * Which chambers kept a closed poll from passing, named ("Not passed in the chamber Neighbours…");
 * null when the poll is open, its result is not "not passed", or every chamber passed.
 */
export const failedChambersText = (tally: PollTally): string | null => {
  if (tally.status === 'open' || tally.result !== 'not-passed') return null
  const failed = tally.chambers
    .filter((c) => !c.passed)
    .map((c) => c.name)
    .sort((a, b) => a.localeCompare(b))
  if (failed.length === 0) return null
  return failed.length === 1
    ? `Not passed in the chamber ${listText(failed)}: it did not reach its threshold.`
    : `Not passed in the chambers ${listText(failed)}: they did not reach their thresholds.`
}
