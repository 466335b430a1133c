import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rawHttp } from '../helpers/httpRequest'
import type { RelayProcess } from '../helpers/relayProcess'
import { createPool } from '../helpers/syncClients'

const INDEX = '<!doctype html><title>peerboard test index</title>\n'
const SCRIPT = 'console.log("peerboard test asset")\n'
const SECRET = 'TOP-SECRET-OUTSIDE-THE-STATIC-DIR'

/**
 * A static dir with an index and an asset, next to files that must never be served: the parent's
 * package.json and secret.txt, and a sibling directory whose name starts like the static dir's.
 */
const makeSite = (root: string): { root: string; staticDir: string } => {
  const staticDir = join(root, 'static')
  mkdirSync(join(staticDir, 'assets'), { recursive: true })
  writeFileSync(join(staticDir, 'index.html'), INDEX)
  writeFileSync(join(staticDir, 'assets', 'x.js'), SCRIPT)
  writeFileSync(join(root, 'package.json'), JSON.stringify({ secret: SECRET }))
  writeFileSync(join(root, 'secret.txt'), SECRET)
  mkdirSync(join(root, 'static-evil'))
  writeFileSync(join(root, 'static-evil', 'file.txt'), SECRET)
  return { root, staticDir }
}

describe('relay HTTP', () => {
  const pool = createPool()
  let relay: RelayProcess
  let site: { root: string; staticDir: string }

  beforeAll(async () => {
    site = makeSite(tempDir('peerboard-http-'))
    relay = await pool.relay({ env: { STATIC_DIR: site.staticDir } })
  })
  const tempDirs: string[] = []
  const tempDir = (prefix: string): string => {
    const dir = mkdtempSync(join(tmpdir(), prefix))
    tempDirs.push(dir)
    return dir
  }
  afterAll(async () => {
    await pool.clear()
    for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  it('GET /healthz answers JSON {status, rooms, connections, uptimeSeconds, access}', async () => {
    for (const path of ['/healthz', '/healthz?probe=1']) {
      const res = await rawHttp(relay.port, path)
      expect(res.status).toBe(200)
      expect(res.headers['content-type']).toBe('application/json')
      const body = JSON.parse(res.body) as Record<string, unknown>
      expect(body).toEqual({
        status: 'ok',
        rooms: expect.any(Number),
        connections: expect.any(Number),
        uptimeSeconds: expect.any(Number),
        access: 'open',
      })
      expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0)
    }
  })

  it('GET / serves index.html, always revalidated', async () => {
    const res = await rawHttp(relay.port, '/')
    expect(res.status).toBe(200)
    expect(res.body).toBe(INDEX)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.headers['cache-control']).toBe('no-cache')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
  })

  it('GET /assets/x.js serves the asset, cached as immutable', async () => {
    const res = await rawHttp(relay.port, '/assets/x.js')
    expect(res.status).toBe(200)
    expect(res.body).toBe(SCRIPT)
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(res.headers['cache-control']).toContain('immutable')
  })

  it('HEAD answers without a body; other methods get 405', async () => {
    const head = await rawHttp(relay.port, '/', 'HEAD')
    expect(head.status).toBe(200)
    expect(head.body).toBe('')
    const post = await rawHttp(relay.port, '/', 'POST')
    expect(post.status).toBe(405)
    expect(post.headers.allow).toBe('GET, HEAD')
  })

  it.each(['/b/AbCdEfGhIjKlMnOpQr_-12', '/b/AbCdEfGhIjKlMnOpQr_-12/p/zyXWvuTSrqPONmlKJih-_0', '/settings', '/assets'])(
    'an app route without an extension (%s) falls back to index.html',
    async (path) => {
      const res = await rawHttp(relay.port, path)
      expect(res.status).toBe(200)
      expect(res.body).toBe(INDEX)
      expect(res.headers['cache-control']).toBe('no-cache')
    },
  )

  it.each(['/missing.js', '/assets/missing.css', '/b/AbCdEfGhIjKlMnOpQr_-12.json', '/favicon.ico'])(
    'a missing file with an extension (%s) is 404',
    async (path) => {
      const res = await rawHttp(relay.port, path)
      expect(res.status).toBe(404)
      expect(res.body).not.toContain('<title>')
    },
  )

  it.each([
    '/../package.json',
    '/%2e%2e/package.json',
    '/..%2fpackage.json',
    '/%2e%2e%2fpackage.json',
    '/%2E%2E%2Fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/..%2fstatic-evil%2ffile.txt',
    '/%2e%2e%2fstatic-evil/file.txt',
    '/..%5csecret.txt',
    '//etc/passwd',
    '/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
  ])('a path traversal attempt (%s) does not escape the static dir', async (path) => {
    const res = await rawHttp(relay.port, path)
    expect(res.body).not.toContain(SECRET)
    expect(res.body).not.toContain('root:')
    // Refused, or answered with the app's own index page.
    if (res.status === 200) expect(res.body).toBe(INDEX)
    else expect([400, 404]).toContain(res.status)
  })

  it('a path that does not decode is 400', async () => {
    expect((await rawHttp(relay.port, '/%E0%A4%A')).status).toBe(400)
  })

  it('a relay whose static dir has no index.html answers 503 with a hint, and /healthz still works', async () => {
    const empty = tempDir('peerboard-unbuilt-')
    const unbuilt = await pool.relay({ env: { STATIC_DIR: empty } })
    const res = await rawHttp(unbuilt.port, '/')
    expect(res.status).toBe(503)
    expect(res.body).toContain('npm run build')
    expect((await rawHttp(unbuilt.port, '/healthz')).status).toBe(200)
  })

  it('a client built while the relay runs is served on reload, as the 503 page promises', async () => {
    // Regression: whether index.html existed was checked once at start, so "run `npm run build`
    // and reload" kept answering 503 until the relay was restarted.
    const later = tempDir('peerboard-built-later-')
    const relayFirst = await pool.relay({ env: { STATIC_DIR: later } })
    expect((await rawHttp(relayFirst.port, '/')).status).toBe(503)
    writeFileSync(join(later, 'index.html'), INDEX)
    const res = await rawHttp(relayFirst.port, '/')
    expect(res.status).toBe(200)
    expect(res.body).toBe(INDEX)
  })

  it('a STATIC_DIR given with a trailing slash or dot segments serves the same files', async () => {
    for (const dir of [`${site.staticDir}/`, `${site.root}/static/../static`, `${site.root}/./static`]) {
      const other = await pool.relay({ env: { STATIC_DIR: dir } })
      const index = await rawHttp(other.port, '/')
      expect(index.status, dir).toBe(200)
      expect(index.body, dir).toBe(INDEX)
      const asset = await rawHttp(other.port, '/assets/x.js')
      expect(asset.status, dir).toBe(200)
      expect(asset.body, dir).toBe(SCRIPT)
      expect((await rawHttp(other.port, '/../secret.txt')).body, dir).not.toContain(SECRET)
      expect((await rawHttp(other.port, '/..%2fsecret.txt')).body, dir).not.toContain(SECRET)
      await other.stop()
    }
  })

  const builtIndex = resolve(import.meta.dirname, '..', '..', 'dist', 'client', 'index.html')
  // `npm test` builds the client first, so dist/client is always there when the suite runs.
  it('without STATIC_DIR the built client (dist/client) is served', async () => {
    expect(existsSync(builtIndex), 'dist/client is missing: run `npm run build` (npm test does)').toBe(true)
    const defaultRelay = await pool.relay()
    const res = await rawHttp(defaultRelay.port, '/')
    expect(res.status).toBe(200)
    expect(res.body).toBe(readFileSync(builtIndex, 'utf8'))
  })
})
