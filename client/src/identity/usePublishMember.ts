import { useEffect } from 'react'
import type * as Y from 'yjs'
import { publishMember, readMemberRecords } from '../../../shared/src'
import type { LocalProfile } from '../profile/localProfile'
import type { DeviceIdentity } from './deviceIdentity'

/**
 * Keeps this member's signed record on the board up to date (SPEC [I1]-[I3]): published when the
 * board has none for us, or when our name or colour changed. Not on read-only boards.
 */
export const usePublishMember = (
  doc: Y.Doc | null,
  ready: boolean,
  identity: DeviceIdentity,
  profile: LocalProfile,
  writable: boolean,
): void => {
  useEffect(() => {
    if (doc === null || !ready || !writable) return
    const current = readMemberRecords(doc).get(identity.memberId)
    if (current !== undefined && current.name === profile.name && current.color === profile.color) return
    try {
      publishMember(doc, identity.signer, {
        founderKey: identity.founderKey,
        name: profile.name,
        color: profile.color,
        devices: identity.devices,
        updatedAt: Date.now(),
      })
    } catch (error) {
      console.warn('Could not publish your member record:', error)
    }
  }, [doc, ready, identity, profile, writable])
}
