import { WebSocketServer, type RawData, type WebSocket } from 'ws'

/**
 * The floor relay (bench/servers/floor.ts): every frame received on `/<room>` is sent as is to the
 * other sockets of that room. Nothing is decoded, stored or answered.
 */
const rooms = new Map<string, Set<WebSocket>>()
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 64 * 1024 * 1024 })

wss.on('connection', (ws, req) => {
  const name = (req.url ?? '/').slice(1).split('?')[0] ?? ''
  let room = rooms.get(name)
  if (room === undefined) {
    room = new Set()
    rooms.set(name, room)
  }
  const peers = room
  peers.add(ws)
  ws.on('error', () => ws.terminate())
  ws.on('message', (data: RawData, isBinary: boolean) => {
    for (const peer of peers) if (peer !== ws) peer.send(data, { binary: isBinary })
  })
  ws.on('close', () => {
    peers.delete(ws)
    if (peers.size === 0) rooms.delete(name)
  })
})

wss.on('listening', () => {
  const address = wss.address()
  process.stdout.write(`BENCH_LISTENING ${typeof address === 'string' ? address : address?.port}\n`)
})
process.on('SIGTERM', () => wss.close(() => process.exit(0)))
