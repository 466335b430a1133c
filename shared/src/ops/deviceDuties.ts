import type * as Y from 'yjs'
import { DEFAULT_CHARTER } from '../model/charter'
import type { MemberId, ThreadId } from '../model/ids'
import { readDecisions } from '../read/decisions'
import { readThreadEntry } from '../read/dialogue'
import { readMembership } from '../read/membership'
import { dutiesFor, type DeviceDuty } from '../rules/deviceDuties'
import type { HlcClock } from '../rules/hlc'
import type { Signer } from '../rules/signatures'
import { yThreadsOf } from '../schema/roots'
import { adoptCharterAmendment, writeFirstCharter } from './charter'
import { markSeenAfterClose, openReviewThread } from './decisions'

/** The member a device acts for, its key, the time, and its clock for anything dated by HLC. */
export interface DutyActor {
  readonly member: MemberId
  readonly signer: Signer
  readonly now: number
  readonly clock: () => HlcClock
}

/** This device's duties on `doc` now (SPEC [H1], [C9], [C12], [H2]); see `dutiesFor`. */
export const readDeviceDuties = (doc: Y.Doc, me: MemberId, now: number): DeviceDuty[] =>
  dutiesFor(readDecisions(doc, now), {
    me,
    isMember: readMembership(doc).members.has(me),
    hasThread: (id: ThreadId) => readThreadEntry(id, yThreadsOf(doc).get(id)) !== null,
  })

/** Carries out one duty through the op that does it (each validates again before writing). */
export const performDuty = (doc: Y.Doc, duty: DeviceDuty, actor: DutyActor): void => {
  switch (duty.kind) {
    case 'write-first-charter':
      writeFirstCharter(doc, actor.signer, { by: actor.member, content: DEFAULT_CHARTER, adoptedAt: actor.now })
      return
    case 'mark-seen-after-close':
      markSeenAfterClose(doc, actor.signer, { poll: duty.poll, member: actor.member, seenAt: actor.now })
      return
    case 'open-review-thread':
      openReviewThread(doc, { poll: duty.poll, author: actor.member, now: actor.now }, { clock: actor.clock() })
      return
    case 'adopt-amendment':
      adoptCharterAmendment(doc, actor.signer, { poll: duty.poll, by: actor.member, adoptedAt: actor.now })
      return
  }
}
