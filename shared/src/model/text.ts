import { invalidInput } from './errors'

/**
 * A required single-line text: trimmed, not empty, at most `max` code points, no control
 * characters. Returns the trimmed value or throws a PeerboardError naming `field`.
 */
export const requireLine = (field: string, label: string, value: unknown, max: number): string => {
  if (typeof value !== 'string') throw invalidInput(field, `${label} must be text.`)
  const trimmed = value.trim()
  if (trimmed.length === 0) throw invalidInput(field, `${label} cannot be empty.`)
  const length = [...trimmed].length
  if (length > max) {
    throw invalidInput(field, `${label} is ${length} characters long; the limit is ${max}.`)
  }
  // C0 and C1 controls (C1 holds NEL, U+0085) and the Unicode line and paragraph separators:
  // each one breaks the line.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what we refuse
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(trimmed)) {
    throw invalidInput(field, `${label} must be a single line without control characters.`)
  }
  return trimmed
}

/** A timestamp in milliseconds since the epoch: a finite, non-negative integer. */
export const requireTimestamp = (field: string, value: unknown): number => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalidInput(field, `${field} must be a non-negative integer number of milliseconds.`)
  }
  return value
}

/**
 * A required multi-line text (a message body): line endings normalised to `\n`, trimmed, not
 * empty, at most `max` code points, no control characters but tab and newline. Returns the
 * normalised value or throws a PeerboardError naming `field`.
 */
export const requireText = (field: string, label: string, value: unknown, max: number): string => {
  if (typeof value !== 'string') throw invalidInput(field, `${label} must be text.`)
  const trimmed = value.replace(/\r\n?/g, '\n').trim()
  if (trimmed.length === 0) throw invalidInput(field, `${label} cannot be empty.`)
  const length = [...trimmed].length
  if (length > max) {
    throw invalidInput(field, `${label} is ${length} characters long; the limit is ${max}.`)
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what we refuse
  if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(trimmed)) {
    throw invalidInput(field, `${label} cannot contain control characters.`)
  }
  return trimmed
}
