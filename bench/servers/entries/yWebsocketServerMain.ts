import { createServer } from 'node:http'
import { WebSocketServer } from 'ws'
import { getPersistence, setupWSConnection } from '@y/websocket-server/utils'

/**
 * `@y/websocket-server` 0.1.1 as its bin (src/server.js) sets it up, on a free port. YPERSISTENCE
 * (read by the package when it loads) turns on its y-leveldb storage. The bin has no shutdown
 * handler; this one closes the sockets and waits for y-leveldb's pending writes, so a restart
 * loads everything that was acknowledged.
 */
const wss = new WebSocketServer({ noServer: true })
const server = createServer((_request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/plain' })
  response.end('okay')
})
wss.on('connection', setupWSConnection)
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request))
})
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  process.stdout.write(`BENCH_LISTENING ${typeof address === 'string' ? address : address?.port}\n`)
})

process.on('SIGTERM', () => {
  for (const ws of wss.clients) ws.terminate()
  server.close()
  // y-leveldb has no types; destroy() resolves after its queued writes.
  const provider = (getPersistence() as { provider?: { destroy(): Promise<void> } } | null)?.provider
  void (provider?.destroy() ?? Promise.resolve()).then(() => process.exit(0))
})
