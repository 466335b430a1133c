import { LIMITS, newMemberId, requireLine, type MemberId } from '../../../shared/src'

/** Who is using this device: chosen once, kept in this browser only. */
export interface LocalProfile {
  readonly memberId: MemberId
  readonly name: string
  readonly color: string
}

const KEY = 'peerboard.profile'

export const PROFILE_COLORS = [
  '#d1495b',
  '#edae49',
  '#00798c',
  '#30638e',
  '#6a4c93',
  '#2a9d8f',
  '#e76f51',
  '#4d908e',
] as const

export const loadProfile = (): LocalProfile | null => {
  try {
    const raw = localStorage.getItem(KEY)
    if (raw === null) return null
    const value = JSON.parse(raw) as Partial<LocalProfile>
    if (typeof value.memberId !== 'string' || typeof value.name !== 'string' || typeof value.color !== 'string') {
      return null
    }
    return { memberId: value.memberId, name: value.name, color: value.color }
  } catch {
    return null
  }
}

/** Validates and stores the profile; throws a PeerboardError for a bad name. */
export const saveProfile = (input: { name: string; color: string }, previous: LocalProfile | null): LocalProfile => {
  const name = requireLine('name', 'Your name', input.name, LIMITS.memberNameMax)
  const profile: LocalProfile = {
    memberId: previous?.memberId ?? newMemberId(),
    name,
    color: /^#[0-9a-f]{6}$/i.test(input.color) ? input.color : PROFILE_COLORS[0],
  }
  localStorage.setItem(KEY, JSON.stringify(profile))
  return profile
}
