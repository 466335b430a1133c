import { request } from 'node:http'
import { connect, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { CLOSE_TOO_MANY_CONNECTIONS as TOO_MANY_CONNECTIONS } from '../../shared/src'
import { metricValue } from '../helpers/metricsText'
import { runRelayCli } from '../helpers/relayCli'
import type { RelayProcess } from '../helpers/relayProcess'
import {
  connectClient,
  createPool,
  freshRoom,
  messageType,
  openRawSocket,
  waitForText,
  waitSynced,
  type RawSocket,
  type SyncClient,
} from '../helpers/syncClients'
import { waitFor } from '../helpers/wait'
import { QUERY_AWARENESS } from '../helpers/wireFrames'

/** Sends query-awareness and waits for its answer: the socket is open and served. */
const answers = async (socket: RawSocket): Promise<void> => {
  const count = (): number => socket.frames.filter((f) => messageType(f) === 1).length
  const before = count()
  socket.send(QUERY_AWARENESS)
  await waitFor('an answer to query-awareness', () => count() > before)
}

/**
 * A socket from `localAddress` (any 127.x.y.z reaches the relay on 127.0.0.1, and the relay sees
 * that address as the peer) that sends the start of an upgrade request and never finishes it.
 */
interface HalfOpen {
  readonly socket: Socket
  /** Set once the relay (or anything) closed it. */
  closed(): boolean
}
const halfOpen = (port: number, localAddress = '127.0.0.1'): Promise<HalfOpen> =>
  new Promise((resolve, reject) => {
    let closed = false
    const socket = connect({ host: '127.0.0.1', port, localAddress }, () => {
      socket.write('GET /sync/slow-room HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n')
      resolve({ socket, closed: () => closed })
    })
    socket.on('close', () => (closed = true))
    // Read what the relay answers (a 408), or its end of the connection is never seen.
    socket.resume()
    socket.on('error', (error) => {
      if (!socket.connecting) return
      reject(error)
    })
  })

/** GET `path` from `localAddress`: the status, or the error code when the relay cut the socket. */
const getFrom = (port: number, path: string, localAddress: string): Promise<number | string> =>
  new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, localAddress, agent: false }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
    req.end()
  })

/** A y-websocket provider whose sockets come from `localAddress`. */
const clientFrom = (relay: RelayProcess, room: string, localAddress: string): SyncClient => {
  class FromAddress extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { localAddress })
    }
  }
  // The provider reads the global WebSocket API; ws implements it (see syncClients.connectClient).
  return connectClient(relay.wsUrl, room, undefined, FromAddress as unknown as typeof globalThis.WebSocket)
}

describe('relay behind proxies', () => {
  const pool = createPool()
  const held: Socket[] = []
  const clients: SyncClient[] = []
  afterEach(async () => {
    for (const socket of held.splice(0)) socket.destroy()
    for (const client of clients.splice(0)) client.destroy()
    await pool.clear()
  })

  /** Three sockets in one room, each claiming another address in X-Forwarded-For. */
  const threeClaiming = async (relay: RelayProcess, room: string, claims: string[]): Promise<RawSocket[]> => {
    const sockets: RawSocket[] = []
    for (const claim of claims) {
      const socket = await openRawSocket(`${relay.wsUrl}/${room}`, { 'x-forwarded-for': claim })
      sockets.push(socket)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    return sockets
  }

  it('[L8] [L3] without TRUSTED_PROXIES, a spoofed X-Forwarded-For from loopback does not get around MAX_CONNECTIONS_PER_IP', async () => {
    const relay = await pool.relay({ env: { MAX_CONNECTIONS_PER_IP: '2' } })
    const room = freshRoom('l8-spoofed')
    const [first, second, third] = await threeClaiming(relay, room, ['198.51.100.1', '198.51.100.2', '198.51.100.3'])
    try {
      expect((await (third as RawSocket).waitClosed()).code).toBe(TOO_MANY_CONNECTIONS)
      await answers(first as RawSocket)
      await answers(second as RawSocket)
      // The operator is told once that the header was not believed.
      const warned = relay.output().split('\n').filter((line) => line.includes('X-Forwarded-For ignored'))
      expect(warned).toHaveLength(1)
      expect(warned[0]).toContain('"peer":"127.0.0.1"')
    } finally {
      for (const socket of [first, second, third]) socket?.ws.terminate()
    }
  })

  it('[L8] [L3] with TRUSTED_PROXIES=127.0.0.1 the address the proxy saw counts, and forged entries left of it change nothing', async () => {
    const relay = await pool.relay({ env: { MAX_CONNECTIONS_PER_IP: '2', TRUSTED_PROXIES: '127.0.0.1' } })
    const distinct = await threeClaiming(relay, freshRoom('l8-trusted'), ['198.51.100.1', '198.51.100.2', '198.51.100.3'])
    const sameClient = await threeClaiming(relay, freshRoom('l8-forged'), [
      '203.0.113.7',
      '1.1.1.1, 203.0.113.7',
      '2.2.2.2, 3.3.3.3, 203.0.113.7',
    ])
    try {
      for (const socket of distinct) await answers(socket)
      expect(distinct.every((socket) => socket.closed() === null)).toBe(true)
      expect((await (sameClient[2] as RawSocket).waitClosed()).code).toBe(TOO_MANY_CONNECTIONS)
      await answers(sameClient[0] as RawSocket)
      await answers(sameClient[1] as RawSocket)
      expect(relay.output()).not.toContain('X-Forwarded-For ignored')
    } finally {
      for (const socket of [...distinct, ...sameClient]) socket.ws.terminate()
    }
  })

  it('[L8] trusted hops further down the chain are skipped: the first untrusted address from the right is the client', async () => {
    const relay = await pool.relay({ env: { MAX_CONNECTIONS_PER_IP: '2', TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8' } })
    const sockets = await threeClaiming(relay, freshRoom('l8-chain'), [
      '203.0.113.9, 10.0.0.1',
      '6.6.6.6, 203.0.113.9, 10.0.0.2, 10.9.9.9',
      '203.0.113.9',
    ])
    try {
      expect((await (sockets[2] as RawSocket).waitClosed()).code).toBe(TOO_MANY_CONNECTIONS)
      await answers(sockets[0] as RawSocket)
      await answers(sockets[1] as RawSocket)
    } finally {
      for (const socket of sockets) socket.ws.terminate()
    }
  })

  it('[L9] half-open upgrade requests beyond MAX_PENDING_UPGRADES_PER_IP are cut at once; the relay keeps serving everyone else', async () => {
    const relay = await pool.relay({ env: { MAX_PENDING_UPGRADES_PER_IP: '4' } })
    const slow = await Promise.all(Array.from({ length: 10 }, () => halfOpen(relay.port)))
    held.push(...slow.map((h) => h.socket))
    await waitFor('six of ten half-open sockets to be cut', () => slow.filter((h) => h.closed()).length === 6)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(slow.filter((h) => h.closed())).toHaveLength(6)

    // Another address is served as usual: HTTP, and a provider that syncs with another.
    expect(await getFrom(relay.port, '/healthz', '127.0.0.2')).toBe(200)
    const room = freshRoom('l7-served')
    const a = clientFrom(relay, room, '127.0.0.2')
    const b = clientFrom(relay, room, '127.0.0.3')
    clients.push(a, b)
    await Promise.all([waitSynced(a), waitSynced(b)])
    a.text.insert(0, 'still serving')
    await waitForText(b, 'still serving')
    // The address holding four is still at its cap.
    expect(await getFrom(relay.port, '/healthz', '127.0.0.1')).not.toBe(200)

    const refusalLines = (): string[] =>
      relay
        .output()
        .split('\n')
        .filter((line) => line.includes('connection refused: too many pending requests'))
    await waitFor('a line for each cut socket', () => refusalLines().length >= 7)
    const refusals = refusalLines()
    expect(refusals[0]).toContain('"address":"127.0.0.1"')
    expect(refusals[0]).toMatch(/"connection":\d+/)
    expect(refusals[0]).toContain('"level":"info"')

    // Once they go, the address is welcome again, and every cut socket was counted.
    for (const h of slow) h.socket.destroy()
    await waitFor('the address to be admitted again', async () => (await getFrom(relay.port, '/healthz', '127.0.0.1')) === 200)
    expect(await metricValue(relay, 'peerboard_rejections_total', 'reason="too_many_pending"')).toBeGreaterThanOrEqual(7)
  })

  it('[L9] MAX_PENDING_UPGRADES caps every address together', async () => {
    const relay = await pool.relay({ env: { MAX_PENDING_UPGRADES_PER_IP: '4', MAX_PENDING_UPGRADES: '6' } })
    const first = await Promise.all(Array.from({ length: 4 }, () => halfOpen(relay.port, '127.0.0.2')))
    await new Promise((resolve) => setTimeout(resolve, 200))
    const second = await Promise.all(Array.from({ length: 4 }, () => halfOpen(relay.port, '127.0.0.3')))
    held.push(...[...first, ...second].map((h) => h.socket))
    await waitFor('two of the second four to be cut', () => second.filter((h) => h.closed()).length === 2)
    expect(first.filter((h) => h.closed())).toHaveLength(0)
    expect(await getFrom(relay.port, '/healthz', '127.0.0.4')).not.toBe(200)
    for (const h of first) h.socket.destroy()
    await waitFor('room for new sockets again', async () => (await getFrom(relay.port, '/healthz', '127.0.0.4')) === 200)
  })

  it('[L9] a request head that never completes is closed after REQUEST_TIMEOUT_MS', async () => {
    const relay = await pool.relay({ env: { REQUEST_TIMEOUT_MS: '1500' } })
    const started = Date.now()
    const slow = await Promise.all(Array.from({ length: 3 }, () => halfOpen(relay.port)))
    held.push(...slow.map((h) => h.socket))
    await waitFor('the relay to close the half-open sockets', () => slow.every((h) => h.closed()), 10_000)
    const took = Date.now() - started
    expect(took).toBeGreaterThanOrEqual(1400)
    // The timeout plus at most one check interval (1 s), with slack for a loaded machine.
    expect(took).toBeLessThan(5000)
    expect(await getFrom(relay.port, '/healthz', '127.0.0.1')).toBe(200)
  })

  it('[L8] [L9] [Y5] bad TRUSTED_PROXIES and pending-request settings stop the relay: exit 2, one line naming the setting', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ TRUSTED_PROXIES: 'proxy.example.org' }, 'TRUSTED_PROXIES'],
      [{ TRUSTED_PROXIES: '127.0.0.1,10.0.0.0/33' }, 'TRUSTED_PROXIES'],
      [{ TRUSTED_PROXIES: '127.0.0.1;::1' }, 'TRUSTED_PROXIES'],
      [{ TRUSTED_PROXIES: '::1/129' }, 'TRUSTED_PROXIES'],
      [{ MAX_PENDING_UPGRADES_PER_IP: '0' }, 'MAX_PENDING_UPGRADES_PER_IP'],
      [{ MAX_PENDING_UPGRADES: 'many' }, 'MAX_PENDING_UPGRADES'],
      [{ REQUEST_TIMEOUT_MS: '5' }, 'REQUEST_TIMEOUT_MS'],
    ]
    const runs = await Promise.all(cases.map(([env]) => runRelayCli([], env)))
    runs.forEach((run, i) => {
      const [env, names] = cases[i] as [Record<string, string>, string]
      expect(run.code, JSON.stringify(env)).toBe(2)
      expect(run.listeningPort).toBeNull()
      const lines = run.stderr.split('\n').filter((line) => line.trim() !== '')
      expect(lines, run.stderr).toHaveLength(1)
      expect(lines[0]).toContain(names)
    })
    const flag = await runRelayCli(['--trusted-proxies', '10.0.0.0/8,nonsense'])
    expect(flag.code).toBe(2)
    expect(flag.stderr).toContain('--trusted-proxies')
    expect(flag.stderr).toContain('"nonsense"')
  })
})
