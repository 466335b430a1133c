import { useEffect, useState } from 'react'
import { BoardPage } from '../board/BoardPage'
import { requestPersistentStorage } from '../collab/storage'
import { HomePage } from '../home/HomePage'
import { loadProfile, type LocalProfile } from '../profile/localProfile'
import { ProfileForm } from '../profile/ProfileForm'
import { navigate, useRoute } from './route'
import { registerServiceWorker } from './serviceWorker'

export const App = () => {
  const route = useRoute()
  const [profile, setProfile] = useState<LocalProfile | null>(() => loadProfile())
  useEffect(() => {
    void requestPersistentStorage()
    registerServiceWorker()
  }, [])

  if (profile === null) {
    return (
      <main className="page narrow">
        <h1 className="brand">Peerboard</h1>
        <p className="lede">Before you start: how should others see you on boards you open here?</p>
        <ProfileForm profile={null} onSaved={setProfile} />
      </main>
    )
  }
  switch (route.page) {
    case 'home':
      return <HomePage profile={profile} onProfileChange={setProfile} />
    case 'board':
      return (
        <BoardPage
          key={route.boardId}
          boardId={route.boardId}
          proposalId={route.proposalId}
          profile={profile}
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
