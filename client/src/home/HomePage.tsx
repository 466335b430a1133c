import { useEffect, useState, type FormEvent } from 'react'
import { newBoardId, PeerboardError, requireLine, LIMITS } from '../../../shared/src'
import { foundBoardOnDevice } from '../board/foundOnDevice'
import { boardPath, navigate } from '../app/route'
import { fetchRelayAccess } from '../collab/access'
import { acquireDocSession, releaseDocSession } from '../collab/sessions'
import { DevicesPanel } from '../identity/DevicesPanel'
import type { DeviceIdentity } from '../identity/deviceIdentity'
import type { LocalProfile } from '../profile/localProfile'
import { ProfileForm } from '../profile/ProfileForm'
import { boardPathFromLink, loadRecentBoards, rememberBoard } from './recentBoards'

export const HomePage = ({
  profile,
  identity,
  onProfileChange,
  onIdentityChange,
}: {
  profile: LocalProfile
  identity: DeviceIdentity
  onProfileChange: (profile: LocalProfile) => void
  onIdentityChange: (identity: DeviceIdentity) => void
}) => {
  const [boardName, setBoardName] = useState('')
  const [link, setLink] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [editingProfile, setEditingProfile] = useState(false)
  const recent = loadRecentBoards()
  const [relayAccess, setRelayAccess] = useState<'open' | 'token' | null>(null)
  useEffect(() => {
    let live = true
    void fetchRelayAccess().then((access) => {
      if (live) setRelayAccess(access)
    })
    return () => {
      live = false
    }
  }, [])

  const create = async (event: FormEvent) => {
    event.preventDefault()
    try {
      const name = requireLine('name', 'Board name', boardName, LIMITS.boardNameMax)
      const id = newBoardId()
      const session = acquireDocSession(id)
      try {
        await session.whenLoaded
        await foundBoardOnDevice(session.doc, id, name, identity, profile)
      } finally {
        releaseDocSession(session)
      }
      rememberBoard(id, name, Date.now())
      navigate(boardPath(id))
    } catch (caught) {
      if (!(caught instanceof PeerboardError)) throw caught
      setError(caught.message)
    }
  }

  const open = (event: FormEvent) => {
    event.preventDefault()
    const path = boardPathFromLink(link)
    if (path === null) {
      setError('That is not a Peerboard board link or board id.')
      return
    }
    navigate(path)
  }

  return (
    <main className="page narrow">
      <header className="home-header">
        <h1 className="brand">Peerboard</h1>
        <p className="who">
          <span className="dot" style={{ background: profile.color }} aria-hidden="true" /> {profile.name}{' '}
          <button type="button" className="link" onClick={() => setEditingProfile((v) => !v)}>
            {editingProfile ? 'Close' : 'Profile and devices'}
          </button>
        </p>
      </header>
      {editingProfile && (
        <ProfileForm
          profile={profile}
          memberId={profile.memberId}
          onSaved={(p) => {
            onProfileChange(p)
            setEditingProfile(false)
          }}
        />
      )}
      <p className="lede">
        Co-edit proposals, keep working offline, and sync through a relay your group runs itself.
      </p>
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <section aria-labelledby="create-heading">
        <h2 id="create-heading">Start a board</h2>
        <form className="row" onSubmit={(e) => void create(e)}>
          <label className="grow">
            <span className="visually-hidden">Board name</span>
            <input
              name="boardName"
              placeholder="Board name, e.g. Riverside Housing Co-op"
              value={boardName}
              onChange={(e) => setBoardName(e.target.value)}
            />
          </label>
          <button type="submit">Create board</button>
        </form>
        {relayAccess === 'token' && (
          <p className="muted" data-testid="token-mode-note">
            This relay admits people with a link. A board created here stays on this device until it
            has one: ask whoever runs the relay for a first link, then share links from the board.
          </p>
        )}
      </section>
      <section aria-labelledby="open-heading">
        <h2 id="open-heading">Open a board from a link</h2>
        <form className="row" onSubmit={open}>
          <label className="grow">
            <span className="visually-hidden">Board link</span>
            <input
              name="boardLink"
              placeholder="Paste a board link"
              value={link}
              onChange={(e) => setLink(e.target.value)}
            />
          </label>
          <button type="submit">Open</button>
        </form>
      </section>
      {editingProfile && <DevicesPanel identity={identity} onJoined={onIdentityChange} />}
      <section aria-labelledby="recent-heading">
        <h2 id="recent-heading">Boards on this device</h2>
        {recent.length === 0 ? (
          <p className="muted">None yet. Boards you create or open appear here, and open without a network.</p>
        ) : (
          <ul className="recent" data-testid="recent-boards">
            {recent.map((b) => (
              <li key={b.id}>
                <a
                  href={boardPath(b.id)}
                  onClick={(e) => {
                    e.preventDefault()
                    navigate(boardPath(b.id))
                  }}
                >
                  {b.name || 'Untitled board'}
                </a>
                <span className="muted"> · opened {new Date(b.openedAt).toLocaleString()}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  )
}
