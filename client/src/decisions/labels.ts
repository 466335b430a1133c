import type { PollMethod, PollResult, PollStatus, StanceChoice, StanceStatus } from '../../../shared/src'

/** Words for people: decision methods, positions, results and stance states. */
export const METHOD_LABELS: Record<PollMethod, string> = {
  advice: 'Advice',
  consent: 'Consent',
  consensus: 'Consensus',
  majority: 'Majority',
  supermajority: 'Supermajority',
  score: 'Score (0–5 per option)',
  ranked: 'Ranked choice',
  dots: 'Dot vote',
}

export const POSITION_LABELS: Record<string, string> = {
  agree: 'Agree',
  abstain: 'Abstain',
  consent: 'Consent',
  objection: 'Objection',
  disagree: 'Disagree',
  block: 'Block',
  yes: 'Yes',
  no: 'No',
}

export const STATUS_LABELS: Record<PollStatus, string> = {
  open: 'Open',
  provisional: 'Provisional',
  final: 'Final',
}

export const RESULT_LABELS: Record<PollResult, string> = {
  advisory: 'Advice given (not binding)',
  passed: 'Passed',
  'not-passed': 'Not passed',
  blocked: 'Blocked',
  'no-quorum': 'No quorum',
  chosen: 'Option chosen',
  tie: 'Tie: no option chosen',
  'no-choice': 'Nothing chosen',
}

export const STANCE_STATUS_LABELS: Record<StanceStatus, string> = {
  counted: 'counted',
  superseded: 'changed later',
  late: 'late',
  stale: 'stale',
  'not-elector': 'not an elector',
  invalid: 'invalid',
  'after-marker': 'after close',
}

export const choiceText = (choice: StanceChoice, options: readonly string[], method: PollMethod): string => {
  if (typeof choice === 'string') return POSITION_LABELS[choice] ?? choice
  if (method === 'ranked') return choice.map((i, rank) => `${rank + 1}. ${options[i] ?? '?'}`).join(', ')
  return choice.map((n, i) => `${options[i] ?? '?'}: ${n}`).join(', ')
}

/** `YYYY-MM-DDTHH:MM:SS` in local time, for datetime-local inputs. */
export const localDateTime = (ms: number): string => {
  const d = new Date(ms)
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}
