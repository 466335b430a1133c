import { useState } from 'react'
import type { BoardId, EntryHash } from '../../../shared/src'
import { fetchRelayAccess, readToken, requestShareToken, tokenScope, type Scope } from '../collab/access'
import { linkFragment } from '../collab/linkTrust'

const EXPIRIES = [
  { label: '7 days', seconds: 7 * 86_400 },
  { label: '30 days', seconds: 30 * 86_400 },
  { label: '1 year', seconds: 365 * 86_400 },
] as const

const USES = [
  { label: 'one person', uses: 1 },
  { label: 'up to 10 people', uses: 10 },
  { label: 'up to 50 people', uses: 50 },
] as const

type Mode = 'open' | 'token' | 'unknown'

/**
 * Sharing a board. Every link names the board's genesis, so that whoever opens it trusts this
 * board's founding and no other (SPEC [J1]). A member's read-write link also carries an invitation
 * for one or more people, signed by this device (SPEC [J4]); a read-only link admits no one. On a
 * relay in token mode the relay's access token rides along. All of it is in the URL fragment, which
 * browsers never send to a server.
 */
export const ShareButton = ({
  boardId,
  genesis,
  invite,
}: {
  boardId: BoardId
  /** The genesis this device trusts; null on a legacy board. */
  genesis: EntryHash | null
  /** Signs an invitation and returns its secret; null when this device cannot invite. */
  invite: ((terms: { readonly expiresAt: number; readonly uses: number }) => string) | null
}) => {
  const [open, setOpen] = useState(false)
  const [mode, setMode] = useState<Mode>('unknown')
  const [expiry, setExpiry] = useState<number>(EXPIRIES[1].seconds)
  const [uses, setUses] = useState<number>(USES[0].uses)
  const [link, setLink] = useState<string | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  // The page shown (a proposal, the map…) is the page the link opens.
  const base = `${window.location.origin}${window.location.pathname}`
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

  /** The invitation for a read-write link, when this device can sign one. */
  const invitation = (): string | undefined =>
    invite === null ? undefined : invite({ expiresAt: Date.now() + expiry * 1000, uses })

  const make = async (scope: Scope) => {
    try {
      const token = await requestShareToken(boardId, scope, expiry)
      await copy(`${base}${linkFragment({ token, genesis, invitation: scope === 'rw' ? invitation() : undefined })}`)
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error))
    }
  }

  const makeOpen = async () => {
    try {
      await copy(`${base}${linkFragment({ genesis, invitation: invitation() })}`)
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error))
    }
  }

  const terms = (
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
      {invite !== null && (
        <label>
          A link invites{' '}
          <select value={uses} onChange={(e) => setUses(Number(e.target.value))}>
            {USES.map((x) => (
              <option key={x.uses} value={x.uses}>
                {x.label}
              </option>
            ))}
          </select>
        </label>
      )}
    </>
  )

  return (
    <div className="share-wrap">
      <button type="button" className="share" aria-expanded={open} onClick={() => void toggle()}>
        Share
      </button>
      {open && (
        <div className="share-panel" role="dialog" aria-label="Share this board">
          {mode === 'open' && (
            <>
              <p>
                Anyone who can reach this relay can read the board with its link.
                {invite !== null ? ' The link also makes whoever opens it a member.' : ''}
              </p>
              {terms}
              <button type="button" onClick={() => void makeOpen()}>
                {invite !== null ? 'Copy invitation link' : 'Copy board link'}
              </button>
            </>
          )}
          {mode === 'token' && myScope === 'rw' && (
            <>
              {terms}
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
                <button type="button" onClick={() => void copy(`${base}${linkFragment({ token: myToken, genesis })}`)}>
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
