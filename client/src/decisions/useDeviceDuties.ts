import { useEffect } from 'react'
import type * as Y from 'yjs'
import { advanceClockFromDoc, createHlcClock, performDuty, readDeviceDuties, type DecisionsSnapshot, type HlcClock } from '../../../shared/src'
import { loadDeviceNode, loadLastHlc, saveLastHlc } from '../dialogue/hlcStorage'
import type { DeviceIdentity } from '../identity/deviceIdentity'

/**
 * Carries out what shared says this device should write on its own (readDeviceDuties: the first
 * charter, "seen after close" markers, review threads, amendment adoptions), each time the
 * decisions it reads change. Nothing is decided here.
 */
export const useDeviceDuties = (
  doc: Y.Doc | null,
  snapshot: DecisionsSnapshot | null,
  identity: DeviceIdentity,
  writable: boolean,
): void => {
  useEffect(() => {
    if (doc === null || snapshot === null || !writable) return
    const now = Date.now()
    // The device's hybrid logical clock, loaded only for a duty that dates something with it.
    let hlc: HlcClock | null = null
    const clock = (): HlcClock => {
      if (hlc === null) {
        const last = loadLastHlc()
        hlc = createHlcClock(last === undefined ? { node: loadDeviceNode() } : { node: loadDeviceNode(), last })
        advanceClockFromDoc(doc, hlc)
      }
      return hlc
    }
    for (const duty of readDeviceDuties(doc, identity.memberId, now)) {
      try {
        performDuty(doc, duty, { member: identity.memberId, signer: identity.signer, now, clock })
      } catch (error) {
        console.warn(`Could not carry out “${duty.kind}”:`, error)
      }
    }
    if (hlc !== null) saveLastHlc((hlc as HlcClock).peek())
  }, [doc, snapshot, identity, writable])
}
