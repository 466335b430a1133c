import { request } from 'node:http'
import { WebSocket } from 'ws'

export interface HttpAnswer {
  readonly status: number
  readonly headers: Record<string, string | string[] | undefined>
  readonly body: string
}

/**
 * One HTTP request with the path sent exactly as given (fetch would normalise `/../x` away before
 * it left the test, which is not what a hostile client does).
 */
export const rawHttp = (port: number, path: string, method = 'GET'): Promise<HttpAnswer> =>
  new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })

/**
 * Tries a WebSocket upgrade to `url`: resolves with `'open'` if it succeeded (the socket is then
 * closed) or with the HTTP status the relay refused it with.
 */
export const tryUpgrade = (url: string): Promise<number | 'open'> =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    ws.on('error', (error) => reject(error))
    ws.on('open', () => {
      ws.terminate()
      resolve('open')
    })
    ws.on('unexpected-response', (req, res) => {
      resolve(res.statusCode ?? 0)
      res.resume()
      req.destroy()
    })
  })

/**
 * A WebSocket upgrade request with the path sent exactly as given: resolves with 101 when the
 * relay accepted it (the socket is then destroyed) or with the status it refused it with.
 */
export const rawUpgrade = (port: number, path: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      agent: false,
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': Buffer.from('0123456789abcdef').toString('base64'),
      },
    })
    req.on('upgrade', (res, socket) => {
      socket.destroy()
      resolve(res.statusCode ?? 0)
    })
    req.on('response', (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end()
  })
