import { LIMITS, requireLine, type MemberId } from '../../../shared/src'

/**
 * Who is using this device: a name and colour chosen once and kept in this browser, and the member
 * id of this device's key (identity/deviceIdentity.ts).
 */
export interface LocalProfile {
  readonly memberId: MemberId
  readonly name: string
  readonly color: string
}

const KEY = 'peerboard.profile'

/** Colours to choose from: readable as white-on-colour labels for cursors and avatars. */
export const PROFILE_COLORS = [
  { name: 'Red', value: '#d1495b' },
  { name: 'Amber', value: '#b7791f' },
  { name: 'Teal', value: '#00798c' },
  { name: 'Blue', value: '#30638e' },
  { name: 'Purple', value: '#6a4c93' },
  { name: 'Green', value: '#2f855a' },
  { name: 'Orange', value: '#c05621' },
  { name: 'Slate', value: '#4a5568' },
] as const

export const randomProfileColor = (): string =>
  (PROFILE_COLORS[Math.floor(Math.random() * PROFILE_COLORS.length)] ?? PROFILE_COLORS[0]).value

export const loadProfile = (memberId: MemberId): LocalProfile | null => {
  try {
    const raw = localStorage.getItem(KEY)
    if (raw === null) return null
    const value = JSON.parse(raw) as Partial<LocalProfile>
    if (typeof value.name !== 'string' || typeof value.color !== 'string') return null
    return { memberId, name: value.name, color: value.color }
  } catch {
    return null
  }
}

/** Validates and stores the profile; throws a PeerboardError for a bad name. */
export const saveProfile = (input: { name: string; color: string }, memberId: MemberId): LocalProfile => {
  const name = requireLine('name', 'Your name', input.name, LIMITS.memberNameMax)
  const profile: LocalProfile = {
    memberId,
    name,
    color: /^#[0-9a-f]{6}$/i.test(input.color) ? input.color : PROFILE_COLORS[0].value,
  }
  localStorage.setItem(KEY, JSON.stringify(profile))
  return profile
}
