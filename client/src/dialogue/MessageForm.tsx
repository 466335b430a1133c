import { useContext, useId, useRef, useState } from 'react'
import { MESSAGE_STANCES, mentionToken, type MemberId, type MessageStance } from '../../../shared/src'
import { MentionablesContext } from './mentionables'
import { STANCE_LABELS } from './StanceChip'

/**
 * A message body and its stance tag: for a new message, a reply or an edit. `onSubmit` returns
 * the validation error to show (nothing was written), or null.
 */
export const MessageForm = ({
  label,
  submitLabel,
  initialBody = '',
  initialStance = 'information',
  onSubmit,
  onCancel,
}: {
  label: string
  submitLabel: string
  initialBody?: string
  initialStance?: MessageStance
  onSubmit: (body: string, stance: MessageStance) => string | null
  onCancel?: () => void
}) => {
  const id = useId()
  const [body, setBody] = useState(initialBody)
  const [stance, setStance] = useState<MessageStance>(initialStance)
  const [error, setError] = useState<string | null>(null)
  const mentionables = useContext(MentionablesContext)
  const textarea = useRef<HTMLTextAreaElement>(null)
  /** Inserts a mention of `member` at the caret; it shows as @name (SPEC [T4]). */
  const mention = (member: string) => {
    const element = textarea.current
    const at = element?.selectionStart ?? body.length
    const token = `${mentionToken(member as MemberId)} `
    setBody(body.slice(0, at) + token + body.slice(at))
    element?.focus()
  }
  const submit = (event: { preventDefault: () => void }) => {
    event.preventDefault()
    const problem = onSubmit(body, stance)
    setError(problem)
    if (problem === null) setBody('')
  }
  return (
    <form className="message-form" onSubmit={submit} aria-label={label}>
      <label htmlFor={`${id}-body`} className="visually-hidden">
        {label}
      </label>
      <textarea
        ref={textarea}
        id={`${id}-body`}
        rows={2}
        value={body}
        placeholder={label}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit(e)
        }}
      />
      <div className="row">
        <label className="row stance-select">
          <span>Stance</span>
          <select value={stance} onChange={(e) => setStance(e.target.value as MessageStance)}>
            {MESSAGE_STANCES.map((s) => (
              <option key={s} value={s}>
                {STANCE_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        {mentionables.length > 0 && (
          <label className="row stance-select">
            <span>Mention</span>
            <select
              value=""
              onChange={(e) => {
                if (e.target.value !== '') mention(e.target.value)
              }}
            >
              <option value="">someone…</option>
              {mentionables.map((m) => (
                <option key={m.id} value={m.id}>
                  @{m.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <span className="grow" />
        {onCancel !== undefined && (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit">{submitLabel}</button>
      </div>
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  )
}
