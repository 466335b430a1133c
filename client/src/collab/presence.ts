import type { DocSession } from './DocSession'

/** Someone with the board open, as announced over awareness (never persisted, never trusted). */
export interface Presence {
  readonly clientId: number
  readonly memberId: string
  readonly name: string
  readonly color: string
  /** The proposal they have open, if any. */
  readonly viewing: string | null
  readonly isSelf: boolean
}

export interface LocalPresence {
  readonly memberId: string
  readonly name: string
  readonly color: string
  readonly viewing: string | null
}

const text = (value: unknown, max: number): string => (typeof value === 'string' ? value.slice(0, max) : '')
const COLOR = /^#[0-9a-fA-F]{6}$/

/** Announces who this device is and what it is looking at. */
export const announcePresence = (session: DocSession, presence: LocalPresence): void => {
  session.provider.awareness.setLocalStateField('user', presence)
}

/** Everyone present, one entry per device, self first, then by name. */
export const readPresence = (session: DocSession): readonly Presence[] => {
  const awareness = session.provider.awareness
  const out: Presence[] = []
  awareness.getStates().forEach((state, clientId) => {
    const user: unknown = (state as { user?: unknown }).user
    if (user === null || typeof user !== 'object') return
    const u = user as Record<string, unknown>
    const name = text(u.name, 60)
    if (name === '') return
    out.push(
      Object.freeze({
        clientId,
        memberId: text(u.memberId, 64),
        name,
        color: typeof u.color === 'string' && COLOR.test(u.color) ? u.color : '#888888',
        viewing: typeof u.viewing === 'string' ? u.viewing : null,
        isSelf: clientId === awareness.clientID,
      }),
    )
  })
  out.sort((a, b) => (a.isSelf !== b.isSelf ? (a.isSelf ? -1 : 1) : a.name.localeCompare(b.name)))
  return Object.freeze(out)
}

/** Calls `onChange` when anyone's presence changes; returns the unsubscribe. */
export const observePresence = (session: DocSession, onChange: () => void): (() => void) => {
  const awareness = session.provider.awareness
  awareness.on('change', onChange)
  return () => awareness.off('change', onChange)
}
