import { useState } from 'react'
import type { BoardId } from '../../../shared/src'
import { boardPath } from '../app/route'

/** Copies the board's link; anyone with it (and access to the relay) can open the board. */
export const ShareButton = ({ boardId }: { boardId: BoardId }) => {
  const [copied, setCopied] = useState(false)
  const link = `${window.location.origin}${boardPath(boardId)}`
  return (
    <button
      type="button"
      className="share"
      title={link}
      onClick={() => {
        void navigator.clipboard?.writeText(link).then(
          () => {
            setCopied(true)
            window.setTimeout(() => setCopied(false), 2000)
          },
          () => window.prompt('Copy this board link:', link),
        )
      }}
    >
      {copied ? 'Link copied' : 'Copy link'}
    </button>
  )
}
