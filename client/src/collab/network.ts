/**
 * Whether the device says it is online. When it goes offline every provider disconnects at once
 * (an open WebSocket can otherwise linger for a long time on a dead network), and reconnects when
 * the device comes back.
 */
type Listener = (online: boolean) => void

const listeners = new Set<Listener>()
let online = typeof navigator === 'undefined' ? true : navigator.onLine

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => setOnline(true))
  window.addEventListener('offline', () => setOnline(false))
}

const setOnline = (value: boolean): void => {
  if (online === value) return
  online = value
  for (const listener of [...listeners]) listener(value)
}

export const isNetworkOnline = (): boolean => online

export const observeNetwork = (listener: Listener): (() => void) => {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
