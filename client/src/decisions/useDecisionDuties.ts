import { useEffect } from 'react'
import type * as Y from 'yjs'
import { adoptCharterAmendment, markSeenAfterClose, type DecisionsSnapshot } from '../../../shared/src'
import type { DeviceIdentity } from '../identity/deviceIdentity'

/**
 * What a member's device does on its own when it sees the board (SPEC [C9], [H2]): writes its
 * "seen after close" marker on every closed poll where the member is still pending, and adopts a
 * charter amendment whose poll is final and passed.
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
