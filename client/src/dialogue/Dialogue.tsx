import { useMemo, useState, type FormEvent } from 'react'
import type * as Y from 'yjs'
import {
  createThread,
  editMessage,
  PeerboardError,
  postMessage,
  removeMessage,
  type MessageStance,
  type ThreadId,
  type ThreadSubject,
} from '../../../shared/src'
import { attempt } from '../app/attempt'
import type { LocalProfile } from '../profile/localProfile'
import type { MessageActions } from './MessageItem'
import { MentionablesContext } from './mentionables'
import { nameLookup } from './names'
import { ThreadItem } from './ThreadItem'
import { useHlcClock } from './useHlcClock'
import { useDialogue } from './useDialogue'


const EMPTY_TEXT: Record<ThreadSubject['kind'], string> = {
  proposal: 'No threads about this proposal yet.',
  actor: 'No threads about this stakeholder yet.',
  board: 'No board-wide threads yet.',
}

/**
 * The dialogue about a proposal, a stakeholder or the whole board (SPEC [T]): its threads, each a
 * reply tree of messages tagged for / against / question / information. Every write goes through
 * a shared op stamped by this device's clock; on a read-only board everything shows and nothing
 * can be written.
 */
export const Dialogue = ({
  doc,
  subject,
  heading = 'Discussion',
  profile,
  readOnly,
  knownNames,
}: {
  doc: Y.Doc
  subject: ThreadSubject
  heading?: string
  profile: LocalProfile
  readOnly: boolean
  /** Names this device knows for other members (member id → name): people present, authors. */
  knownNames?: ReadonlyMap<string, string>
}) => {
  const threads = useDialogue(doc, subject)
  const { clock, persist } = useHlcClock(doc)
  const [open, setOpen] = useState<ReadonlySet<ThreadId>>(new Set())
  const [title, setTitle] = useState('')
  const [error, setError] = useState<string | null>(null)
  const me = profile.memberId

  const nameOf = useMemo(
    () => nameLookup(new Map([...(knownNames ?? new Map<string, string>()), [me, profile.name]])),
    [knownNames, me, profile.name],
  )

  // Everyone else this board knows by name can be mentioned.
  const mentionables = useMemo(
    () =>
      [...(knownNames ?? new Map<string, string>())]
        .filter(([id]) => id !== me)
        .map(([id, name]) => ({ id, name }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    [knownNames, me],
  )

  /** Runs a write, then persists the clock it advanced. */
  const write = (op: () => void): string | null => {
    const problem = attempt(op)
    if (problem === null) persist()
    return problem
  }

  const actions: MessageActions | null = readOnly
    ? null
    : {
        reply: (parent, body, stance) => {
          const threadId = threads.find((t) => t.messages.some((m) => m.id === parent))?.thread.id
          if (threadId === undefined) return 'The message replied to is no longer here.'
          return write(() => postMessage(doc, { threadId, parentId: parent, author: me, body, stance }, { clock }))
        },
        edit: (messageId, body, stance) =>
          write(() => editMessage(doc, { messageId, editor: me, body, stance }, { clock })),
        remove: (messageId) => write(() => removeMessage(doc, { messageId, remover: me }, { clock })),
      }

  const toggle = (id: ThreadId) =>
    setOpen((current) => {
      const next = new Set(current)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })

  const startThread = (event: FormEvent) => {
    event.preventDefault()
    try {
      const id = createThread(doc, { subject, title, author: me }, { clock })
      persist()
      setError(null)
      setTitle('')
      setOpen((current) => new Set(current).add(id))
    } catch (problem) {
      if (!(problem instanceof PeerboardError)) throw problem
      setError(problem.message)
    }
  }

  const postIn = (threadId: ThreadId) => (body: string, stance: MessageStance) =>
    write(() => postMessage(doc, { threadId, author: me, body, stance }, { clock }))

  return (
    <MentionablesContext.Provider value={mentionables}>
      <section className="dialogue" aria-labelledby="dialogue-heading" data-testid="dialogue">
        <h2 id="dialogue-heading">{heading}</h2>
        {threads.length === 0 ? (
          <p className="muted">{EMPTY_TEXT[subject.kind]}</p>
        ) : (
          <ul className="threads" aria-label="Threads">
            {threads.map((view) => (
              <ThreadItem
                key={view.thread.id}
                view={view}
                open={open.has(view.thread.id)}
                onToggle={() => toggle(view.thread.id)}
                me={me}
                nameOf={nameOf}
                actions={actions}
                post={readOnly ? null : postIn(view.thread.id)}
              />
            ))}
          </ul>
        )}
        {!readOnly && (
          <form className="row new-thread" onSubmit={startThread} aria-label="New thread">
            <label className="grow">
              <span className="visually-hidden">New thread title</span>
              <input
                name="threadTitle"
                placeholder="New thread title"
                value={title}
                onChange={(e) => setTitle(e.target.value)}
              />
            </label>
            <button type="submit">Start thread</button>
          </form>
        )}
        {error !== null && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </section>
    </MentionablesContext.Provider>
  )
}
