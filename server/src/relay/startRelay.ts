import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer, type RawData } from 'ws'
import {
  CLOSE_MESSAGE_TOO_LARGE,
  CLOSE_ROOM_CAPACITY,
  CLOSE_ROOM_DAMAGED,
  CLOSE_STORAGE_FAILED,
  CLOSE_SERVICE_RESTART,
  CLOSE_TOO_MANY_CONNECTIONS,
  isValidRoomName,
  SYNC_PATH_PREFIX,
} from '../../../shared/src'
import { admit } from '../access/admission'
import type { RelayConfig } from '../config'
import { handleShare } from '../http/share'
import { createStaticHandler } from '../http/staticFiles'
import { describeError, type Logger } from '../log'
import { DamagedRoomError, type DocStore } from '../storage/DocStore'
import { clientAddress } from './clientAddress'
import { Connection } from './Connection'
import { limitPendingUpgrades } from './pendingUpgrades'
import { RelayHealth } from './RelayHealth'
import { NO_OBSERVER, type RelayObserver } from './RelayObserver'
import { RoomCapacityError, RoomRegistry } from './RoomRegistry'

export interface RunningRelay {
  readonly server: Server
  /** The address actually bound (useful with port 0). */
  readonly port: number
  readonly url: string
  /** Stops accepting, closes every socket (1012, clients reconnect later), flushes every room. */
  close(): Promise<void>
}

export interface RelayObservability {
  readonly observer: RelayObserver
  /** Prometheus text for GET /metrics; no /metrics endpoint when absent. */
  readonly renderMetrics?: () => string
  /** Problems /healthz reports (some are found before the relay starts); a fresh one when absent. */
  readonly health?: RelayHealth
}

/**
 * ws closes a frame over `maxPayload` itself, with 1009, which y-websocket retries forever. The
 * relay's sockets say 4413 instead, a permanent code (SPEC [L1]).
 */
class RelaySocket extends WebSocket {
  override close(code?: number, data?: string | Buffer): void {
    if (code === 1009) super.close(CLOSE_MESSAGE_TOO_LARGE, 'message too large')
    else super.close(code, data)
  }
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000)

/**
 * Starts the relay: one HTTP server that answers `/healthz` (and `/metrics`, `/api/share`),
 * upgrades `/sync/<room>` to the y-websocket protocol after checking the origin and the token, and
 * serves the built client for everything else.
 */
export const startRelay = async (
  config: RelayConfig,
  store: DocStore,
  log: Logger,
  observability: RelayObservability = { observer: NO_OBSERVER },
): Promise<RunningRelay> => {
  const { observer, renderMetrics } = observability
  const health = observability.health ?? new RelayHealth()
  const startedAt = Date.now()
  const rooms = new RoomRegistry(store, config, observer, health, log)
  const connections = new Set<Connection>()
  const perAddress = new Map<string, number>()
  const serveStatic = createStaticHandler(config.staticDir)
  const access = config.secret === null ? 'open' : 'token'

  // Timeouts are checked every second (Node's default is every 30 s, on top of the timeout).
  const server = createServer({ connectionsCheckingInterval: 1000 }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    if (path === '/healthz') {
      // "degraded" (SPEC [D5], [D6]) still answers 200: one damaged room must not make a load
      // balancer take the relay, and every healthy room on it, out of service.
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      res.end(
        JSON.stringify({
          status: health.status,
          ...(health.status === 'ok' ? {} : { problems: health.problems }),
          uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
          rooms: rooms.size,
          connections: connections.size,
          access,
        }),
      )
      return
    }
    if (path === '/metrics' && renderMetrics !== undefined) {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' })
      res.end(renderMetrics())
      return
    }
    if (path === '/api/share') {
      handleShare(config.secret, req, res, nowSeconds).catch((error: unknown) => {
        log.error('share failed', { error: describeError(error) })
        if (!res.headersSent) res.writeHead(500).end()
      })
      return
    }
    serveStatic(req, res)
  })
  // Half-open requests (SPEC [L9]): a bounded number, for a bounded time.
  server.headersTimeout = config.requestTimeoutMs
  server.requestTimeout = config.requestTimeoutMs
  limitPendingUpgrades(server, config, observer, log)
  let toldUntrustedForwarding = false
  const untrustedForwarding = (peer: string): void => {
    if (toldUntrustedForwarding) return
    toldUntrustedForwarding = true
    log.warn('X-Forwarded-For ignored: the peer is not in TRUSTED_PROXIES (set it if this is your reverse proxy)', {
      peer,
    })
  }

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: config.maxMessageBytes,
    WebSocket: RelaySocket,
  })

  const refuse = (socket: Duplex, status: number, reason: string): void => {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`)
  }

  // Everything here runs before a WebSocket exists: a refused upgrade costs no room and no buffer
  // beyond the request head. The URL is never logged (it carries the token).
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    let url: URL
    try {
      url = new URL(req.url ?? '/', 'http://relay')
    } catch {
      observer.rejected('bad_room')
      refuse(socket, 400, 'Bad Request')
      return
    }
    if (!url.pathname.startsWith(SYNC_PATH_PREFIX)) {
      refuse(socket, 404, 'Not Found')
      return
    }
    const roomName = url.pathname.slice(SYNC_PATH_PREFIX.length)
    if (!isValidRoomName(roomName)) {
      observer.rejected('bad_room')
      refuse(socket, 400, 'Bad Request')
      return
    }
    const admission = admit(config, req, roomName, url.searchParams.get('token'), nowSeconds())
    if (!admission.ok) {
      observer.rejected(admission.reason)
      log.info('upgrade refused', { room: roomName, status: admission.status, reason: admission.reason })
      refuse(socket, admission.status, admission.status === 401 ? 'Unauthorized' : 'Forbidden')
      return
    }
    const address = clientAddress(req, config.trustedProxies, untrustedForwarding)
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, roomName, admission.scope, address))
  })

  const accept = (ws: WebSocket, roomName: string, scope: 'rw' | 'ro', address: string): void => {
    // Before anything can close it: a socket refused below may still send a frame that ws rejects
    // (over maxPayload, invalid) while closing, and an 'error' without a listener would throw.
    ws.on('error', (error) => {
      log.warn('socket error', { room: roomName, error: describeError(error) })
    })
    const fromAddress = (perAddress.get(address) ?? 0) + 1
    if (fromAddress > config.maxConnectionsPerIp) {
      observer.rejected('too_many_connections')
      ws.close(CLOSE_TOO_MANY_CONNECTIONS, 'too many connections from this address')
      return
    }
    let connection: Connection
    try {
      connection = new Connection(ws, rooms.acquire(roomName), scope, config, observer, log)
    } catch (error) {
      if (error instanceof RoomCapacityError) {
        observer.rejected('room_capacity')
        ws.close(CLOSE_ROOM_CAPACITY, 'relay at room capacity')
        return
      }
      if (error instanceof DamagedRoomError) {
        // Reported (error log, metric, /healthz) by the registry, once per damaged row. 4503 is
        // retryable: the client keeps its copy and comes back once the operator has restored it.
        log.debug('room refused: stored data damaged', { room: roomName })
        ws.close(CLOSE_ROOM_DAMAGED, 'room data damaged; the operator has been told')
        return
      }
      log.error('could not open room', { room: roomName, error: describeError(error) })
      ws.close(CLOSE_STORAGE_FAILED, 'room unavailable')
      return
    }
    perAddress.set(address, fromAddress)
    connections.add(connection)
    observer.connectionOpened()
    connection.room.peers.add(connection)
    ws.on('message', (data: RawData, isBinary: boolean) => {
      connection.receive(isBinary ? toBytes(data) : new Uint8Array(0))
    })
    ws.on('pong', () => {
      connection.alive = true
    })
    ws.on('close', () => {
      connections.delete(connection)
      observer.connectionClosed()
      const left = (perAddress.get(address) ?? 1) - 1
      if (left > 0) perAddress.set(address, left)
      else perAddress.delete(address)
      rooms.release(connection.room, connection)
    })
    connection.start()
  }

  const pinger = setInterval(() => {
    for (const connection of connections) {
      // A socket the relay stopped reading (flow control, SPEC [L2]) cannot have answered: its
      // pong waits unread behind its frames. It is checked again once it is read again.
      if (connection.paused) continue
      if (!connection.alive) {
        connection.socket.terminate()
        continue
      }
      connection.alive = false
      connection.socket.ping()
    }
  }, config.pingIntervalMs)
  pinger.unref()

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  server.on('error', (error) => log.error('http server error', { error: describeError(error) }))
  const port = (server.address() as AddressInfo).port
  const shownHost = config.host.includes(':') ? `[${config.host}]` : config.host

  let closing: Promise<void> | null = null
  const close = (): Promise<void> => {
    closing ??= (async () => {
      clearInterval(pinger)
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const connection of connections) connection.close(CLOSE_SERVICE_RESTART, 'relay restarting')
      // Give close frames a moment to go out, then cut whatever is left. The timer is not unref'd:
      // with no socket left it is what keeps the process alive until the rooms are flushed.
      await new Promise((resolve) => setTimeout(resolve, 100))
      for (const connection of connections) connection.socket.terminate()
      rooms.closeAll()
      server.closeAllConnections()
      await serverClosed
    })()
    return closing
  }

  return { server, port, url: `http://${shownHost}:${port}/`, close }
}

const toBytes = (data: RawData): Uint8Array => {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data))
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}
