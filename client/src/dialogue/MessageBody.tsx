import { Fragment, type ReactNode } from 'react'
import type { NameOf } from './names'

const MENTION = /<@([A-Za-z0-9_-]{22})>/g

/** A message body as text, with each `<@memberId>` mention shown as @name (SPEC [T4]). */
export const MessageBody = ({ body, nameOf }: { body: string; nameOf: NameOf }) => {
  const parts: ReactNode[] = []
  let from = 0
  for (const match of body.matchAll(MENTION)) {
    const member = match[1] ?? ''
    parts.push(<Fragment key={`t${from}`}>{body.slice(from, match.index)}</Fragment>)
    parts.push(
      <span key={`m${match.index}`} className="mention" title={member}>
        @{nameOf(member)}
      </span>,
    )
    from = match.index + match[0].length
  }
  parts.push(<Fragment key={`t${from}`}>{body.slice(from)}</Fragment>)
  return <p className="message-body">{parts}</p>
}
