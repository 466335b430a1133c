import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import { CLOSE_SERVICE_RESTART, isValidRoomName, SYNC_PATH_PREFIX } from '../../../shared/src'
import type { RelayConfig } from '../config'
import { createStaticHandler } from '../http/staticFiles'
import { describeError, type Logger } from '../log'
import type { DocStore } from '../storage/DocStore'
import { Connection } from './Connection'
import { RoomRegistry } from './RoomRegistry'

export interface RunningRelay {
  readonly server: Server
  /** The address actually bound (useful with port 0). */
  readonly port: number
  readonly url: string
  /** Stops accepting, closes every socket (1012, clients reconnect later), flushes every room. */
  close(): Promise<void>
}

/**
 * Starts the relay: one HTTP server that answers `/healthz`, upgrades `/sync/<room>` to the
 * y-websocket protocol, and serves the built client for everything else.
 */
export const startRelay = async (
  config: RelayConfig,
  store: DocStore,
  log: Logger,
): Promise<RunningRelay> => {
  const startedAt = Date.now()
  const rooms = new RoomRegistry(store, config, log)
  const connections = new Set<Connection>()
  const serveStatic = createStaticHandler(config.staticDir)

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      res.end(
        JSON.stringify({
          status: 'ok',
          uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
          rooms: rooms.size,
          connections: connections.size,
        }),
      )
      return
    }
    serveStatic(req, res)
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxMessageBytes })

  const refuse = (socket: Duplex, status: number, reason: string): void => {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`)
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    let pathname: string
    try {
      pathname = new URL(req.url ?? '/', 'http://relay').pathname
    } catch {
      refuse(socket, 400, 'Bad Request')
      return
    }
    if (!pathname.startsWith(SYNC_PATH_PREFIX)) {
      refuse(socket, 404, 'Not Found')
      return
    }
    const roomName = pathname.slice(SYNC_PATH_PREFIX.length)
    if (!isValidRoomName(roomName)) {
      refuse(socket, 400, 'Bad Request')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, roomName))
  })

  const accept = (ws: WebSocket, roomName: string): void => {
    let connection: Connection
    try {
      connection = new Connection(ws, rooms.acquire(roomName), log)
    } catch (error) {
      log.error('could not open room', { room: roomName, error: describeError(error) })
      ws.close(1011, 'room unavailable')
      return
    }
    connections.add(connection)
    connection.room.peers.add(connection)
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) {
        connection.receive(new Uint8Array(0))
        return
      }
      connection.receive(toBytes(data))
    })
    ws.on('pong', () => {
      connection.alive = true
    })
    ws.on('error', (error) => {
      log.warn('socket error', { room: roomName, error: describeError(error) })
    })
    ws.on('close', () => {
      connections.delete(connection)
      rooms.release(connection.room, connection)
    })
    connection.start()
  }

  const pinger = setInterval(() => {
    for (const connection of connections) {
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
