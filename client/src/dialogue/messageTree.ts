import type { ThreadMessage } from '../../../shared/src'

/** A message with the replies nested under it. */
export interface MessageNode {
  readonly message: ThreadMessage
  readonly replies: readonly MessageNode[]
}

/**
 * The reply tree of a thread read depth first (SPEC [T6]): each message hangs under the nearest
 * earlier message one level up. Depths that skip a level (never from readThread) hang where they can.
 */
export const toMessageTree = (messages: readonly ThreadMessage[]): MessageNode[] => {
  const roots: { message: ThreadMessage; replies: MessageNode[] }[] = []
  const path: { message: ThreadMessage; replies: MessageNode[] }[] = []
  for (const message of messages) {
    const node = { message, replies: [] as MessageNode[] }
    while (path.length > 0 && (path[path.length - 1]?.message.depth ?? 0) >= message.depth) path.pop()
    const parent = path[path.length - 1]
    if (parent === undefined) roots.push(node)
    else parent.replies.push(node)
    path.push(node)
  }
  return roots
}
