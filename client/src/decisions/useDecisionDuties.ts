import { useEffect } from 'react'
import type * as Y from 'yjs'
import {
  adoptCharterAmendment,
  advanceClockFromDoc,
  createHlcClock,
  markSeenAfterClose,
  openReviewThread,
  readThread,
  type DecisionsSnapshot,
} from '../../../shared/src'
import { loadDeviceNode, loadLastHlc, saveLastHlc } from '../dialogue/hlcStorage'
import type { DeviceIdentity } from '../identity/deviceIdentity'

/**
 * What a member's device does on its own when it sees the board (SPEC [C9], [C12], [H2]): writes
 * its "seen after close" marker on every closed poll where the member is still pending, opens the
 * review thread of a decision whose review date has come (the thread id derives from the poll, so
 * devices doing this at once write one thread), and adopts a charter amendment whose poll is final
 * and passed.
 */
export const useDecisionDuties = (
  doc: Y.Doc | null,
  snapshot: DecisionsSnapshot | null,
  identity: DeviceIdentity,
  writable: boolean,
): void => {
  useEffect(() => {
    if (doc === null || snapshot === null || !writable) return
    const now = Date.now()
    for (const poll of snapshot.polls) {
      if (poll.tally.status === 'open' || !poll.tally.pending.includes(identity.memberId)) continue
      try {
        markSeenAfterClose(doc, identity.signer, { poll: poll.id, member: identity.memberId, seenAt: now })
      } catch (error) {
        console.warn('Could not write a “seen after close” marker:', error)
      }
    }
    for (const poll of snapshot.polls) {
      if (!poll.reviewDue || poll.superseded || readThread(doc, poll.reviewThread) !== null) continue
      try {
        const last = loadLastHlc()
        const clock = createHlcClock(last === undefined ? { node: loadDeviceNode() } : { node: loadDeviceNode(), last })
        advanceClockFromDoc(doc, clock)
        openReviewThread(doc, { poll: poll.id, author: identity.memberId, now }, { clock })
        saveLastHlc(clock.peek())
      } catch (error) {
        console.warn('Could not open the review thread:', error)
      }
    }
    const inForce = snapshot.charter.inForce
    for (const poll of snapshot.polls) {
      if (inForce === null || poll.def.amendment === null || poll.def.charter.revision !== inForce.revision) continue
      if (poll.tally.status !== 'final' || !poll.tally.passed) continue
      try {
        adoptCharterAmendment(doc, identity.signer, { poll: poll.id, by: identity.memberId, adoptedAt: now })
      } catch (error) {
        console.warn('Could not adopt the charter amendment:', error)
      }
      break
    }
  }, [doc, snapshot, identity, writable])
}
