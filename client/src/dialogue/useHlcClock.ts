import { useEffect, useMemo } from 'react'
import type * as Y from 'yjs'
import { advanceClockFromDoc, createHlcClock, observeDialogue, type HlcClock } from '../../../shared/src'
import { loadDeviceNode, loadLastHlc, saveLastHlc } from './hlcStorage'

/**
 * This device's hybrid logical clock for the dialogue of `doc` (SPEC [T5], [T7]). It resumes from
 * the last persisted timestamp, takes in every timestamp the doc's dialogue carries (now and on
 * every change), and `persist()` stores where it is; call it after each write.
 */
export interface DeviceClock {
  readonly clock: HlcClock
  readonly persist: () => void
}

export const useHlcClock = (doc: Y.Doc): DeviceClock => {
  const deviceClock = useMemo<DeviceClock>(() => {
    const last = loadLastHlc()
    const clock = createHlcClock(last === undefined ? { node: loadDeviceNode() } : { node: loadDeviceNode(), last })
    return { clock, persist: () => saveLastHlc(clock.peek()) }
  }, [])
  useEffect(() => {
    const { clock, persist } = deviceClock
    const catchUp = (): void => {
      advanceClockFromDoc(doc, clock)
      persist()
    }
    catchUp()
    return observeDialogue(doc, catchUp)
  }, [doc, deviceClock])
  return deviceClock
}
