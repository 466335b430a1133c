import { useEffect, useState } from 'react'
import { seedProposalBody } from '../../../shared/src'
import { accessForRoom } from './access'
import { DocSession } from './DocSession'

/**
 * A fresh session of a proposal body for one editor, loaded only once the editor's binding
 * connects (see DocSessionOptions.deferUntilConnect) and destroyed when the editor goes. Bodies
 * are never shared between editors: a second binding on an already loaded doc would show nothing.
 */
export const useProposalBody = (room: string | null): DocSession | null => {
  const [session, setSession] = useState<DocSession | null>(null)
  useEffect(() => {
    if (room === null) {
      setSession(null)
      return
    }
    const created = new DocSession(room, { ...accessForRoom(room), deferUntilConnect: true, onStart: seedProposalBody })
    setSession(created)
    return () => created.destroy()
  }, [room])
  return session !== null && session.room === room ? session : null
}
