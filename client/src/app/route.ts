import { useSyncExternalStore } from 'react'
import { isBoardId, isProposalId, type BoardId, type ProposalId } from '../../../shared/src'

/** What a board page shows below its header: the proposals, or the stakeholder map. */
export type BoardTab = 'proposals' | 'map' | 'charter' | 'ledger'

/** The app's pages: `/`, `/b/<boardId>`, `/b/<boardId>/p/<proposalId>` and `/b/<boardId>/map`. */
export type Route =
  | { readonly page: 'home' }
  | {
      readonly page: 'board'
      readonly boardId: BoardId
      readonly proposalId: ProposalId | null
      readonly view: BoardTab
    }
  | { readonly page: 'not-found' }

export const parseRoute = (pathname: string): Route => {
  if (pathname === '/' || pathname === '') return { page: 'home' }
  const match = /^\/b\/([^/]+)(?:\/p\/([^/]+)|\/(map|charter|ledger))?\/?$/.exec(pathname)
  if (match === null || !isBoardId(match[1])) return { page: 'not-found' }
  if (match[3] === 'map') return { page: 'board', boardId: match[1], proposalId: null, view: 'map' }
  if (match[3] === 'charter') return { page: 'board', boardId: match[1], proposalId: null, view: 'charter' }
  if (match[3] === 'ledger') return { page: 'board', boardId: match[1], proposalId: null, view: 'ledger' }
  const proposalId = match[2] !== undefined && isProposalId(match[2]) ? match[2] : null
  return { page: 'board', boardId: match[1], proposalId, view: 'proposals' }
}

export const boardPath = (boardId: BoardId, proposalId: ProposalId | null = null): string =>
  proposalId === null ? `/b/${boardId}` : `/b/${boardId}/p/${proposalId}`

/** The board's stakeholder map. */
export const mapPath = (boardId: BoardId): string => `/b/${boardId}/map`

/** The board's resource-sharing ledger. */
export const ledgerPath = (boardId: BoardId): string => `/b/${boardId}/ledger`

/** The board's charter. */
export const charterPath = (boardId: BoardId): string => `/b/${boardId}/charter`

const listeners = new Set<() => void>()
window.addEventListener('popstate', () => listeners.forEach((l) => l()))

export const navigate = (path: string, { replace = false } = {}): void => {
  if (path === window.location.pathname) return
  if (replace) window.history.replaceState(null, '', path)
  else window.history.pushState(null, '', path)
  listeners.forEach((l) => l())
}

const subscribe = (onChange: () => void): (() => void) => {
  listeners.add(onChange)
  return () => listeners.delete(onChange)
}

let cachedPath = ''
let cachedRoute: Route = { page: 'home' }
const getRoute = (): Route => {
  const path = window.location.pathname
  if (path !== cachedPath) {
    cachedPath = path
    cachedRoute = parseRoute(path)
  }
  return cachedRoute
}

export const useRoute = (): Route => useSyncExternalStore(subscribe, getRoute)
