/**
 * Registers the service worker that keeps the app shell on this device (client/public/sw.js), so
 * the app opens with the relay down or the network off. Not in the Vite dev server.
 */
export const registerServiceWorker = (): void => {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return
  navigator.serviceWorker.register('/sw.js').catch((error: unknown) => {
    console.warn('Offline app shell unavailable:', error)
  })
}
