import { useEffect, useState } from 'react'
import type * as Y from 'yjs'
import { observeProposalBody, readProposalBodyText } from '../../../shared/src'

/** A proposal body's plain text, live; null until the body doc is open. */
export const useBodyText = (bodyDoc: Y.Doc | null): string | null => {
  const [text, setText] = useState<string | null>(null)
  useEffect(() => {
    if (bodyDoc === null) {
      setText(null)
      return
    }
    setText(readProposalBodyText(bodyDoc))
    return observeProposalBody(bodyDoc, () => setText(readProposalBodyText(bodyDoc)))
  }, [bodyDoc])
  return text
}
