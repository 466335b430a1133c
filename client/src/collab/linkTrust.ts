import { isEntryHash, type BoardId, type EntryHash } from '../../../shared/src'

/**
 * What a share link says about trust (SPEC [J1], [J4]), besides the relay's access token: `g`, the
 * board's genesis, which the device then trusts for good; and `inv`, an invitation's secret key,
 * which the device redeems once to become a member. Both ride in the URL fragment, which browsers
 * never send to a server, and are kept in localStorage per board until used.
 */
export interface LinkTrust {
  readonly genesis: EntryHash | null
  readonly invitation: string | null
}

const key = (boardId: BoardId): string => `peerboard.link.${boardId}`
const SECRET = /^[A-Za-z0-9_-]{43}$/

const param = (fragment: string, name: string): string | null => {
  const match = new RegExp(`(?:^#|&)${name}=([A-Za-z0-9_-]+)`).exec(fragment)
  return match?.[1] ?? null
}

export const readLinkTrust = (boardId: BoardId): LinkTrust => {
  try {
    const stored = JSON.parse(localStorage.getItem(key(boardId)) ?? 'null') as Partial<LinkTrust> | null
    return {
      genesis: isEntryHash(stored?.genesis) ? stored.genesis : null,
      invitation: typeof stored?.invitation === 'string' && SECRET.test(stored.invitation) ? stored.invitation : null,
    }
  } catch {
    return { genesis: null, invitation: null }
  }
}

const write = (boardId: BoardId, value: LinkTrust): void => {
  try {
    if (value.genesis === null && value.invitation === null) localStorage.removeItem(key(boardId))
    else localStorage.setItem(key(boardId), JSON.stringify(value))
  } catch {
    // Without storage the link's trust lasts as long as this page (the store pins the genesis).
  }
}

/** Keeps the genesis and invitation a link's fragment carries, if any. */
export const captureLinkTrust = (boardId: BoardId, fragment: string): void => {
  const genesis = param(fragment, 'g')
  const invitation = param(fragment, 'inv')
  if (genesis === null && invitation === null) return
  const current = readLinkTrust(boardId)
  write(boardId, {
    genesis: isEntryHash(genesis) ? genesis : current.genesis,
    invitation: invitation !== null && SECRET.test(invitation) ? invitation : current.invitation,
  })
}

/** Drops the invitation once redeemed (or once it can never be). */
export const forgetInvitation = (boardId: BoardId): void => write(boardId, { ...readLinkTrust(boardId), invitation: null })

/** The fragment of a link: the access token (if any), the genesis, and an invitation (if any). */
export const linkFragment = (parts: {
  readonly token?: string | undefined
  readonly genesis: EntryHash | null
  readonly invitation?: string | undefined
}): string => {
  const pieces: string[] = []
  if (parts.token !== undefined) pieces.push(`token=${parts.token}`)
  if (parts.genesis !== null) pieces.push(`g=${parts.genesis}`)
  if (parts.invitation !== undefined) pieces.push(`inv=${parts.invitation}`)
  return pieces.length === 0 ? '' : `#${pieces.join('&')}`
}
