import { useEffect, useMemo, useState } from 'react'
import { countUnread, latestMessageHlc, type MemberId, type MessageStance, type ThreadView } from '../../../shared/src'
import { MessageForm } from './MessageForm'
import { MessageItem, type MessageActions } from './MessageItem'
import { toMessageTree } from './messageTree'
import type { NameOf } from './names'
import { loadLastSeen, saveLastSeen } from './seenStorage'

/**
 * One thread: a disclosure button with its title and unread count, and when open, its messages
 * as a reply tree and a box for a new top-level message. Opening it marks it seen on this device
 * (SPEC [T11]); while open, new messages are marked seen as they arrive.
 */
export const ThreadItem = ({
  view,
  open,
  onToggle,
  me,
  nameOf,
  actions,
  post,
}: {
  view: ThreadView
  open: boolean
  onToggle: () => void
  me: MemberId
  nameOf: NameOf
  actions: MessageActions | null
  /** Posts a top-level message; null on a read-only board. */
  post: ((body: string, stance: MessageStance) => string | null) | null
}) => {
  const { thread, messages } = view
  const [lastSeen, setLastSeen] = useState(() => loadLastSeen(me, thread.id))
  const latest = latestMessageHlc(messages)
  useEffect(() => {
    if (!open || latest === null) return
    if (saveLastSeen(me, thread.id, latest)) setLastSeen(latest)
  }, [open, latest, me, thread.id])
  const unread = open ? 0 : countUnread(messages, lastSeen, me)
  const tree = useMemo(() => toMessageTree(messages), [messages])
  const shown = messages.filter((m) => !m.removed).length
  const panelId = `thread-${thread.id}`
  return (
    <li className="thread" data-thread-id={thread.id}>
      <button
        type="button"
        className="thread-toggle"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={onToggle}
      >
        <span className="thread-title">{thread.title || 'Untitled thread'}</span>
        <span className="muted thread-count">
          {shown} {shown === 1 ? 'message' : 'messages'}
        </span>
        {unread > 0 && (
          <span className="unread-badge" data-testid="unread">
            {unread} unread
          </span>
        )}
      </button>
      {open && (
        <div className="thread-panel" id={panelId}>
          <p className="muted thread-started">Started by {nameOf(thread.author)}</p>
          {tree.length === 0 ? (
            <p className="muted">No messages yet.</p>
          ) : (
            <ul className="messages" aria-label={`Messages in ${thread.title}`}>
              {tree.map((node) => (
                <MessageItem key={node.message.id} node={node} me={me} nameOf={nameOf} actions={actions} />
              ))}
            </ul>
          )}
          {post !== null && <MessageForm label="New message" submitLabel="Post" onSubmit={post} />}
        </div>
      )}
    </li>
  )
}
