import type { CharterContent } from '../../../shared/src'
import { CharterForm } from './CharterForm'

/** The charter a charter-amendment proposal puts forward, editable (SPEC [H3]); nothing for other proposals. */
export const AmendmentEditor = ({
  content,
  readOnly,
  onSave,
}: {
  content: CharterContent | undefined
  readOnly: boolean
  onSave: (content: CharterContent) => string | null
}) => (content === undefined ? null : <CharterForm content={content} readOnly={readOnly} onSave={onSave} />)
