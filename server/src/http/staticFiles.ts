import { createReadStream, existsSync, statSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
}

/**
 * Serves the built client from `root`. Paths that are not files fall back to index.html (the app
 * routes on the client), except paths with a file extension, which get a 404. Hashed files under
 * /assets/ are cached for a year; index.html is always revalidated.
 */
export const createStaticHandler = (staticDir: string) => {
  // Normalised like the requested paths below, so the containment check compares like with like
  // (a STATIC_DIR such as /srv/app/../client would otherwise refuse every file).
  const root = resolve(staticDir)
  const indexFile = join(root, 'index.html')
  // Re-checked until found, so that building while the relay runs needs only a reload.
  let built = existsSync(indexFile)
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end()
      return
    }
    if (!built) built = existsSync(indexFile)
    if (!built) {
      res
        .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
        .end('The Peerboard client is not built. Run `npm run build` (or `npm start`) and reload.\n')
      return
    }
    let pathname: string
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://relay').pathname)
    } catch {
      res.writeHead(400).end()
      return
    }
    const file = normalize(join(root, pathname))
    if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) {
      res.writeHead(404).end()
      return
    }
    let target = file
    if (!isFile(target)) {
      if (extname(pathname) !== '') {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n')
        return
      }
      target = indexFile
    }
    const immutable = pathname.startsWith('/assets/')
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(target)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
    })
    if (req.method === 'HEAD') {
      res.end()
      return
    }
    createReadStream(target)
      .on('error', () => res.destroy())
      .pipe(res)
  }
}

const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}
