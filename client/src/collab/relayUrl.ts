import { SYNC_PATH_PREFIX } from '../../../shared/src'

/**
 * The relay's sync endpoint: the app is served by the relay (or by Vite's dev server, which
 * proxies /sync), so it is the page's own origin.
 */
export const relaySyncUrl = (): string => {
  const { protocol, host } = window.location
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}${SYNC_PATH_PREFIX.slice(0, -1)}`
}
