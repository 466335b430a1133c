import { useState } from 'react'
import { hlcWallMs, type MemberId, type MessageId, type MessageStance } from '../../../shared/src'
import { MessageBody } from './MessageBody'
import { MessageForm } from './MessageForm'
import type { MessageNode } from './messageTree'
import type { NameOf } from './names'
import { StanceChip } from './StanceChip'

/** What a person can do to messages; each returns the validation error to show, or null. */
export interface MessageActions {
  readonly reply: (parent: MessageId, body: string, stance: MessageStance) => string | null
  readonly edit: (id: MessageId, body: string, stance: MessageStance) => string | null
  readonly remove: (id: MessageId) => string | null
}

/** Past this depth replies stop indenting further, so deep threads stay readable. */
const MAX_INDENT_DEPTH = 6

const timeOf = (ms: number): string =>
  new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** One message and, nested under it, its replies. */
export const MessageItem = ({
  node,
  me,
  nameOf,
  actions,
}: {
  node: MessageNode
  me: MemberId
  nameOf: NameOf
  /** Null on a read-only board: no forms, no buttons. */
  actions: MessageActions | null
}) => {
  const { message, replies } = node
  const [mode, setMode] = useState<'read' | 'reply' | 'edit' | 'confirm-remove'>('read')
  const [error, setError] = useState<string | null>(null)
  const author = nameOf(message.author)
  const mine = message.author === me
  const canChange = actions !== null && mine && !message.removed
  return (
    <li
      className={`message${message.depth >= MAX_INDENT_DEPTH ? ' flat' : ''}`}
      data-message-id={message.id}
      data-depth={message.depth}
    >
      <article aria-label={message.removed ? 'Removed message' : `Message from ${author}`}>
        <header className="message-meta">
          <span className="message-author" data-testid="message-author">
            {author}
            {mine && <span className="muted"> (you)</span>}
          </span>
          {!message.removed && <StanceChip stance={message.stance} />}
          {message.createdAt !== null && (
            <time className="muted" dateTime={new Date(hlcWallMs(message.createdAt)).toISOString()}>
              {timeOf(hlcWallMs(message.createdAt))}
            </time>
          )}
          {message.edited && !message.removed && (
            <span className="muted edited" data-testid="edited">
              edited
            </span>
          )}
          {message.detached && (
            <span className="muted" title="The message this replies to has not reached this device yet.">
              reply to a message not here yet
            </span>
          )}
        </header>
        {message.removed ? (
          <p className="message-body removed" data-testid="removed">
            This message was removed by its author.
          </p>
        ) : mode === 'edit' && actions !== null ? (
          <MessageForm
            label="Edit message"
            submitLabel="Save"
            initialBody={message.body}
            initialStance={message.stance}
            onSubmit={(body, stance) => {
              const problem = actions.edit(message.id, body, stance)
              if (problem === null) setMode('read')
              return problem
            }}
            onCancel={() => setMode('read')}
          />
        ) : (
          <MessageBody body={message.body} nameOf={nameOf} />
        )}
        {actions !== null && mode === 'read' && (
          <div className="message-actions">
            <button type="button" className="link" onClick={() => setMode('reply')}>
              Reply
            </button>
            {canChange && (
              <>
                <button type="button" className="link" onClick={() => setMode('edit')}>
                  Edit
                </button>
                <button type="button" className="link" onClick={() => setMode('confirm-remove')}>
                  Remove
                </button>
              </>
            )}
          </div>
        )}
        {actions !== null && mode === 'confirm-remove' && (
          <div className="message-actions" role="group" aria-label="Confirm removal">
            <span>Remove this message? Replies stay.</span>
            <button
              type="button"
              onClick={() => {
                const problem = actions.remove(message.id)
                setError(problem)
                setMode('read')
              }}
            >
              Remove message
            </button>
            <button type="button" className="secondary" onClick={() => setMode('read')}>
              Keep
            </button>
          </div>
        )}
        {actions !== null && mode === 'reply' && (
          <MessageForm
            label={`Reply to ${author}`}
            submitLabel="Send reply"
            onSubmit={(body, stance) => {
              const problem = actions.reply(message.id, body, stance)
              if (problem === null) setMode('read')
              return problem
            }}
            onCancel={() => setMode('read')}
          />
        )}
        {error !== null && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </article>
      {replies.length > 0 && (
        <ul className="replies" aria-label={`Replies to ${author}`}>
          {replies.map((reply) => (
            <MessageItem key={reply.message.id} node={reply} me={me} nameOf={nameOf} actions={actions} />
          ))}
        </ul>
      )}
    </li>
  )
}
