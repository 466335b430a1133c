import type * as Y from 'yjs'
import { createHlcClock, createThread, type HlcClock, type ThreadId, type ThreadSubject } from '../../shared/src'
import { ALICE, boardWith } from './boards'

/** HLC node ids for tests: valid (22 base64url characters) and easy to recognise. */
export const NODE_A = 'NodeANodeANodeANodeA01'
export const NODE_B = 'NodeBNodeBNodeBNodeB01'
export const NODE_C = 'NodeCNodeCNodeCNodeC01'

/** A clock whose wall time is whatever `time.now` holds; move it by assigning. */
export const manualClock = (node = NODE_A, start = 1_000_000): { clock: HlcClock; time: { now: number } } => {
  const time = { now: start }
  return { clock: createHlcClock({ node, wallClock: () => time.now }), time }
}

/** A board with one proposal ('Compost') and one thread about the board, by Alice. */
export const boardWithThread = (
  subject: ThreadSubject = { kind: 'board' },
): { readonly doc: Y.Doc; readonly thread: ThreadId; readonly clock: HlcClock; readonly time: { now: number } } => {
  const { doc } = boardWith(['Compost'])
  const { clock, time } = manualClock()
  const thread = createThread(doc, { subject, title: 'Garden rules', author: ALICE }, { clock })
  return { doc, thread, clock, time }
}
