/*
 * Peerboard's service worker: keeps the app shell (index.html and the built assets) on the device
 * so that the app opens with no network and no relay. Board data is not here: it lives in
 * IndexedDB (y-indexeddb), written by the app itself.
 *
 * - navigations: network first (a new build is picked up at once), the cached shell when offline;
 * - /assets/*: cache first (file names carry a content hash, so they never change);
 * - /sync and /healthz are never touched.
 */
const SHELL_CACHE = 'peerboard-shell-v1'
const SHELL = '/index.html'

const assetsOf = (html) => [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1])

const cacheShell = async (response) => {
  const cache = await caches.open(SHELL_CACHE)
  const html = await response.clone().text()
  await cache.put(SHELL, response)
  await cache.addAll(assetsOf(html))
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      await cacheShell(await fetch(SHELL, { cache: 'no-store' }))
      await self.skipWaiting()
    })(),
  )
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== SHELL_CACHE) await caches.delete(key)
      await self.clients.claim()
    })(),
  )
})

self.addEventListener('fetch', (event) => {
  const request = event.request
  if (request.method !== 'GET') return
  const url = new URL(request.url)
  if (url.origin !== self.location.origin) return
  if (url.pathname.startsWith('/sync') || url.pathname === '/healthz') return

  if (request.mode === 'navigate') {
    event.respondWith(
      (async () => {
        try {
          const response = await fetch(request)
          if (response.ok) event.waitUntil(cacheShell(response.clone()).catch(() => undefined))
          return response
        } catch {
          const cached = await caches.match(SHELL)
          return cached ?? Response.error()
        }
      })(),
    )
    return
  }

  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(
      (async () => {
        const cached = await caches.match(request)
        if (cached) return cached
        const response = await fetch(request)
        if (response.ok) {
          const cache = await caches.open(SHELL_CACHE)
          event.waitUntil(cache.put(request, response.clone()))
        }
        return response
      })(),
    )
  }
})
