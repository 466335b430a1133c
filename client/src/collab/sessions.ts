import { accessForRoom } from './access'
import { DocSession } from './DocSession'

/**
 * Open documents, shared by everything on the page that shows them and closed shortly after the
 * last user lets go (the delay lets React's remounts reuse the same session).
 */
const open = new Map<string, { session: DocSession; users: number; closeTimer: number | undefined }>()
const CLOSE_DELAY_MS = 1000

export const acquireDocSession = (room: string, prepare?: (session: DocSession) => void): DocSession => {
  let entry = open.get(room)
  if (entry === undefined) {
    const session = new DocSession(room, accessForRoom(room))
    prepare?.(session)
    entry = { session, users: 0, closeTimer: undefined }
    open.set(room, entry)
  }
  if (entry.closeTimer !== undefined) {
    window.clearTimeout(entry.closeTimer)
    entry.closeTimer = undefined
  }
  entry.users++
  return entry.session
}

export const releaseDocSession = (session: DocSession): void => {
  const entry = open.get(session.room)
  if (entry === undefined || entry.session !== session) return
  entry.users--
  if (entry.users > 0) return
  entry.closeTimer = window.setTimeout(() => {
    if (entry.users === 0 && open.get(session.room) === entry) {
      open.delete(session.room)
      session.destroy()
    }
  }, CLOSE_DELAY_MS)
}
