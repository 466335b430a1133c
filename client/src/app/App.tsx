import { useEffect, useState } from 'react'
import { BoardPage } from '../board/BoardPage'
import { requestPersistentStorage } from '../collab/storage'
import { HomePage } from '../home/HomePage'
import { loadDeviceIdentity, type DeviceIdentity } from '../identity/deviceIdentity'
import { LinkThisDevice } from '../identity/LinkThisDevice'
import { loadProfile, type LocalProfile } from '../profile/localProfile'
import { ProfileForm } from '../profile/ProfileForm'
import { navigate, useRoute } from './route'
import { registerServiceWorker } from './serviceWorker'

export const App = () => {
  const route = useRoute()
  const [identity, setIdentity] = useState<DeviceIdentity | null>(null)
  const [identityError, setIdentityError] = useState<string | null>(null)
  const [profile, setProfile] = useState<LocalProfile | null>(null)
  const [linking, setLinking] = useState(false)
  const [linked, setLinked] = useState(false)
  useEffect(() => {
    void requestPersistentStorage()
    registerServiceWorker()
    loadDeviceIdentity().then(
      (loaded) => {
        setIdentity(loaded)
        setProfile(loadProfile(loaded.memberId))
      },
      (error: unknown) => setIdentityError(error instanceof Error ? error.message : String(error)),
    )
  }, [])

  if (identity === null) {
    return (
      <main className="page narrow">
        <h1 className="brand">Peerboard</h1>
        {identityError === null ? (
          <p className="muted">Preparing this device…</p>
        ) : (
          <p role="alert" className="error">
            This browser cannot keep Peerboard's device key ({identityError}). Peerboard needs IndexedDB;
            private browsing modes sometimes turn it off.
          </p>
        )}
      </main>
    )
  }

  if (profile === null) {
    return (
      <main className="page narrow">
        <h1 className="brand">Peerboard</h1>
        {linking ? (
          <>
            <h2>Link this device</h2>
            <p className="lede">
              You are already a member on another device: link this one, and boards count you once, with both
              devices.
            </p>
            <LinkThisDevice
              identity={identity}
              onJoined={(joined) => {
                setIdentity(joined)
                setLinking(false)
                setLinked(true)
              }}
            />
            <button type="button" className="link" onClick={() => setLinking(false)}>
              Back: I am new here
            </button>
          </>
        ) : (
          <>
            {linked ? (
              <p className="lede" role="status">
                This device is linked to your membership. Give the name you use on your other device.
              </p>
            ) : (
              <p className="lede">Before you start: how should others see you on boards you open here?</p>
            )}
            <ProfileForm profile={null} memberId={identity.memberId} onSaved={setProfile} />
            {!linked && (
              <p className="muted">
                Already a member on another device?{' '}
                <button type="button" className="link" onClick={() => setLinking(true)}>
                  Link this device instead
                </button>
              </p>
            )}
          </>
        )}
      </main>
    )
  }
  switch (route.page) {
    case 'home':
      return (
        <HomePage
          profile={profile}
          identity={identity}
          onProfileChange={setProfile}
          onIdentityChange={(joined) => {
            setIdentity(joined)
            setProfile((p) => (p === null ? null : { ...p, memberId: joined.memberId }))
          }}
        />
      )
    case 'board':
      return (
        <BoardPage
          key={route.boardId}
          boardId={route.boardId}
          proposalId={route.proposalId}
          view={route.view}
          profile={profile}
          identity={identity}
        />
      )
    case 'not-found':
      return (
        <main className="page narrow">
          <h1 className="brand">Peerboard</h1>
          <p role="alert">This address is not a Peerboard board link.</p>
          <button type="button" onClick={() => navigate('/')}>
            Go to your boards
          </button>
        </main>
      )
  }
}
