import type { Chamber, CharterContent, BoardMember } from '../../../shared/src'
import { CharterForm } from './CharterForm'

/** The charter a charter-amendment proposal puts forward, editable (SPEC [H3]); nothing for other proposals. */
export const AmendmentEditor = ({
  content,
  members,
  chambers,
  readOnly,
  onSave,
}: {
  content: CharterContent | undefined
  members: readonly BoardMember[]
  chambers: readonly Chamber[]
  readOnly: boolean
  onSave: (content: CharterContent) => string | null
}) =>
  content === undefined ? null : (
    <CharterForm content={content} members={members} chambers={chambers} readOnly={readOnly} onSave={onSave} />
  )
