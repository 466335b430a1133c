import type * as Y from 'yjs'
import { invalidInput } from '../model/errors'
import { LIMITS } from '../model/limits'
import { requireLine, requireTimestamp } from '../model/text'
import { readMemberRecords } from '../read/members'
import { toBase64url } from '../rules/base64url'
import { memberIdForKey, signMemberBody, type DeviceCertificate } from '../rules/memberRecords'
import type { Signer } from '../rules/signatures'
import { LOCAL_ORIGIN } from '../schema/origins'
import { yMembersOf } from '../schema/roots'

export interface PublishMemberInput {
  /** The founding device's public key (the member id derives from it). */
  readonly founderKey: Uint8Array
  readonly name: string
  readonly color: string
  /** Certified further devices (certifyDevice), the signer's own included if it is not the founder. */
  readonly devices: readonly DeviceCertificate[]
  readonly updatedAt: number
}

/**
 * Publishes (or updates) this member's signed record on the board (SPEC [I1], [I3]): the sequence
 * number is one above the highest this board has for the member, and the record is stored under
 * this device's own key.
 */
export const publishMember = (doc: Y.Doc, signer: Signer, input: PublishMemberInput): void => {
  const name = requireLine('name', 'Your name', input.name, LIMITS.memberNameMax)
  if (!/^#[0-9a-fA-F]{6}$/.test(input.color)) throw invalidInput('color', 'Colour must be a #rrggbb value.')
  const updatedAt = requireTimestamp('updatedAt', input.updatedAt)
  const member = memberIdForKey(input.founderKey)
  const founder = toBase64url(input.founderKey)
  const signerKey = toBase64url(signer.publicKey)
  if (signerKey !== founder && !input.devices.some((d) => d.key === signerKey)) {
    throw invalidInput('devices', 'This device is not certified for this member.')
  }
  const previous = readMemberRecords(doc).get(member)
  const seq = (previous?.seq ?? 0) + 1
  const envelope = signMemberBody(signer, {
    v: 1,
    member,
    name,
    color: input.color,
    founder,
    devices: input.devices,
    seq,
    updatedAt,
  })
  doc.transact(() => {
    yMembersOf(doc).set(`${member}/${signerKey}`, envelope)
  }, LOCAL_ORIGIN)
}
