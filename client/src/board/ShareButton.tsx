import { useState } from 'react'
import type { BoardId } from '../../../shared/src'
import { boardPath } from '../app/route'
import { fetchRelayAccess, readToken, requestShareToken, tokenScope, type Scope } from '../collab/access'

const EXPIRIES = [
  { label: '7 days', seconds: 7 * 86_400 },
  { label: '30 days', seconds: 30 * 86_400 },
  { label: '1 year', seconds: 365 * 86_400 },
] as const

type Mode = 'open' | 'token' | 'unknown'

/**
 * Sharing a board. On an open relay the link is the board's address. On a relay in token mode a
 * member with read-write access makes read-write or read-only links; the token rides in the URL
 * fragment, which browsers never send to a server.
 */
export const ShareButton = ({ boardId }: { boardId: BoardId }) => {
  const [open, setOpen] = useState(false)
  const [mode, setMode] = useState<Mode>('unknown')
  const [expiry, setExpiry] = useState<number>(EXPIRIES[1].seconds)
  const [link, setLink] = useState<string | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const base = `${window.location.origin}${boardPath(boardId)}`
  const myToken = readToken(boardId)
  const myScope = tokenScope(myToken)

  const toggle = async () => {
    if (open) {
      setOpen(false)
      return
    }
    setOpen(true)
    setLink(null)
    setMessage(null)
    const access = await fetchRelayAccess()
    setMode(access ?? (myToken === null ? 'open' : 'token'))
  }

  const copy = async (text: string) => {
    setLink(text)
    try {
      await navigator.clipboard.writeText(text)
      setMessage('Link copied.')
    } catch {
      setMessage('Copy the link above.')
    }
  }

  const make = async (scope: Scope) => {
    try {
      const token = await requestShareToken(boardId, scope, expiry)
      await copy(`${base}#token=${token}`)
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error))
    }
  }

  return (
    <div className="share-wrap">
      <button type="button" className="share" aria-expanded={open} onClick={() => void toggle()}>
        Share
      </button>
      {open && (
        <div className="share-panel" role="dialog" aria-label="Share this board">
          {mode === 'open' && (
            <>
              <p>Anyone who can reach this relay can open the board with its link.</p>
              <button type="button" onClick={() => void copy(base)}>
                Copy board link
              </button>
            </>
          )}
          {mode === 'token' && myScope === 'rw' && (
            <>
              <label>
                Links expire after{' '}
                <select value={expiry} onChange={(e) => setExpiry(Number(e.target.value))}>
                  {EXPIRIES.map((x) => (
                    <option key={x.seconds} value={x.seconds}>
                      {x.label}
                    </option>
                  ))}
                </select>
              </label>
              <div className="row">
                <button type="button" onClick={() => void make('rw')}>
                  Copy read-write link
                </button>
                <button type="button" onClick={() => void make('ro')}>
                  Copy read-only link
                </button>
              </div>
            </>
          )}
          {mode === 'token' && myScope !== 'rw' && (
            <>
              <p>You have read-only access; you can pass on the link you were given.</p>
              {myToken !== null && (
                <button type="button" onClick={() => void copy(`${base}#token=${myToken}`)}>
                  Copy read-only link
                </button>
              )}
            </>
          )}
          {mode === 'unknown' && <p className="muted">Asking the relay…</p>}
          {link !== null && <input readOnly value={link} aria-label="Share link" data-testid="share-link" onFocus={(e) => e.currentTarget.select()} />}
          {message !== null && <p role="status">{message}</p>}
        </div>
      )}
    </div>
  )
}
