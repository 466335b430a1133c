import type { MemberId, PollId, ThreadId } from '../model/ids'
import type { DecisionsSnapshot } from '../read/decisions'

/**
 * What a member's device writes on its own, without anyone asking (SPEC [H1], [C9], [C12], [H2]):
 * one pure function of what the device reads and who it is, so that every device (and every
 * simulation) follows the same rules, and the app only carries the answer out.
 */
export type DeviceDuty =
  /** A legacy board's creator writes charter revision 0, once they are a member (a founded board has it in its genesis). */
  | { readonly kind: 'write-first-charter' }
  /** A closed poll on which this member is still pending gets their "seen after close" marker. */
  | { readonly kind: 'mark-seen-after-close'; readonly poll: PollId }
  /** A decision whose review date has come gets its review thread, if this device lacks it. */
  | { readonly kind: 'open-review-thread'; readonly poll: PollId }
  /** A final, passed amendment that ran under the charter in force is adopted. */
  | { readonly kind: 'adopt-amendment'; readonly poll: PollId }

export interface DutyContext {
  readonly me: MemberId
  /** `me` is one of the board's members (SPEC [J11]). */
  readonly isMember: boolean
  readonly hasThread: (id: ThreadId) => boolean
}

/** The duties of the device of `context.me`, given the decisions it reads now, in the order to do them. */
export const dutiesFor = (snapshot: DecisionsSnapshot, context: DutyContext): DeviceDuty[] => {
  const duties: DeviceDuty[] = []
  if (snapshot.creator === context.me && snapshot.charter.inForce === null && context.isMember) {
    duties.push({ kind: 'write-first-charter' })
  }
  for (const poll of snapshot.polls) {
    if (poll.tally.status !== 'open' && poll.tally.pending.includes(context.me)) {
      duties.push({ kind: 'mark-seen-after-close', poll: poll.id })
    }
  }
  for (const poll of snapshot.polls) {
    if (poll.reviewDue && !poll.superseded && !context.hasThread(poll.reviewThread)) {
      duties.push({ kind: 'open-review-thread', poll: poll.id })
    }
  }
  const inForce = snapshot.charter.inForce
  // One adoption at a time: the next amendment must then have run under the new revision.
  const adoptable = snapshot.polls.find(
    (poll) =>
      inForce !== null &&
      poll.def.amendment !== null &&
      poll.def.charter.revision === inForce.revision &&
      poll.tally.status === 'final' &&
      poll.tally.passed,
  )
  if (adoptable !== undefined) duties.push({ kind: 'adopt-amendment', poll: adoptable.id })
  return duties
}
