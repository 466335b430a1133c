import type { IncomingMessage } from 'node:http'

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1'])

/**
 * The address a socket counts against for MAX_CONNECTIONS_PER_IP. Behind a reverse proxy on the
 * same machine (the documented set-up) every socket comes from loopback, so for loopback peers the
 * last hop of X-Forwarded-For (the address the proxy saw) is used instead.
 */
export const clientAddress = (req: IncomingMessage): string => {
  const peer = req.socket.remoteAddress ?? 'unknown'
  if (!LOOPBACK.has(peer)) return peer
  const forwarded = req.headers['x-forwarded-for']
  const header = Array.isArray(forwarded) ? forwarded.join(',') : forwarded
  const last = header?.split(',').at(-1)?.trim()
  return last !== undefined && last !== '' ? last : peer
}
