import { isHlc, isHlcNode, randomId128, type Hlc } from '../../../shared/src'

/**
 * Where this device keeps its hybrid logical clock between sessions (SPEC [T5]): a random node id
 * for the device and the last timestamp it issued or adopted. Local storage only; never the doc.
 */
const NODE_KEY = 'peerboard.hlc.node'
const LAST_KEY = 'peerboard.hlc.last'

/** This device's clock node: 22 base64url characters, made once and kept. */
export const loadDeviceNode = (): string => {
  try {
    const stored = localStorage.getItem(NODE_KEY)
    if (isHlcNode(stored)) return stored
    const node = randomId128()
    localStorage.setItem(NODE_KEY, node)
    return node
  } catch {
    // Storage refused (private mode, quota): a node for this session only still orders correctly.
    return randomId128()
  }
}

export const loadLastHlc = (): Hlc | undefined => {
  try {
    const stored = localStorage.getItem(LAST_KEY)
    return isHlc(stored) ? stored : undefined
  } catch {
    return undefined
  }
}

/**
 * Keeps the later of `hlc` and what is stored: another tab of this browser has its own clock, and
 * the stored value must never move backwards.
 */
export const saveLastHlc = (hlc: Hlc): void => {
  try {
    const stored = localStorage.getItem(LAST_KEY)
    if (!isHlc(stored) || stored < hlc) localStorage.setItem(LAST_KEY, hlc)
  } catch {
    // Not persisted: the clock still resumes from what the doc holds (advanceClockFromDoc).
  }
}
