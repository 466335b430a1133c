import { isHlc, type Hlc, type MemberId, type ThreadId } from '../../../shared/src'

/**
 * Unread markers (SPEC [T11]): the last message timestamp a person has seen in each thread, kept
 * in this browser only. Nothing about them is written to the board.
 */
const keyOf = (reader: MemberId, thread: ThreadId): string => `peerboard.seen.${reader}.${thread}`

export const loadLastSeen = (reader: MemberId, thread: ThreadId): Hlc | null => {
  try {
    const stored = localStorage.getItem(keyOf(reader, thread))
    return isHlc(stored) ? stored : null
  } catch {
    return null
  }
}

/** Moves the marker forward to `seen`; never back. Returns whether it moved. */
export const saveLastSeen = (reader: MemberId, thread: ThreadId, seen: Hlc): boolean => {
  const current = loadLastSeen(reader, thread)
  if (current !== null && current >= seen) return false
  try {
    localStorage.setItem(keyOf(reader, thread), seen)
    return true
  } catch {
    return false
  }
}
