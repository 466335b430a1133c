import type { Server } from 'node:http'
import type { Socket } from 'node:net'
import type { Logger } from '../log'
import { canonicalAddress, isTrusted, type AddressRange } from './clientAddress'
import type { RelayObserver } from './RelayObserver'

export interface PendingLimits {
  /** Pending sockets per peer address; trusted proxies are counted only in the overall cap. */
  readonly maxPendingUpgradesPerIp: number
  readonly maxPendingUpgrades: number
  readonly trustedProxies: readonly AddressRange[]
}

/** Lines about refused sockets per second; past it they are counted into the next line. */
const LOG_LINES_PER_SECOND = 10

/**
 * Caps pending sockets (SPEC [L9]): connected, but without a complete request head yet — an
 * upgrade that has not happened, or any request still arriving. Node keeps such sockets until its
 * header timeout, so without a cap a few thousand of them sit on the relay's memory and file
 * descriptors. A socket past a cap is destroyed as soon as it connects, counted as
 * `too_many_pending` and logged (info, with its address and a connection id; at most
 * LOG_LINES_PER_SECOND lines a second, the rest counted into the next one).
 *
 * The per-address cap uses the socket's peer address: X-Forwarded-For has not arrived yet. A
 * trusted proxy speaks for many clients, so its sockets count only against the overall cap.
 */
export const limitPendingUpgrades = (
  server: Server,
  limits: PendingLimits,
  observer: RelayObserver,
  log: Logger,
): void => {
  const pending = new Map<Socket, string>()
  const perAddress = new Map<string, number>()
  let nextId = 0
  let logWindowStart = 0
  let logLinesInWindow = 0
  let unlogged = 0

  const settle = (socket: Socket): void => {
    const address = pending.get(socket)
    if (address === undefined) return
    pending.delete(socket)
    const left = (perAddress.get(address) ?? 1) - 1
    if (left > 0) perAddress.set(address, left)
    else perAddress.delete(address)
  }

  const refuse = (socket: Socket, address: string, id: number, limit: string): void => {
    observer.rejected('too_many_pending')
    socket.destroy()
    const now = Date.now()
    if (now - logWindowStart >= 1000) {
      logWindowStart = now
      logLinesInWindow = 0
    }
    if (logLinesInWindow >= LOG_LINES_PER_SECOND) {
      unlogged++
      return
    }
    logLinesInWindow++
    log.info('connection refused: too many pending requests', {
      address,
      connection: id,
      limit,
      pending: pending.size,
      ...(unlogged > 0 ? { alsoRefusedUnlogged: unlogged } : {}),
    })
    unlogged = 0
  }

  server.on('connection', (socket: Socket) => {
    const id = ++nextId
    const raw = socket.remoteAddress ?? ''
    const address = canonicalAddress(raw) ?? (raw === '' ? 'unknown' : raw)
    if (pending.size >= limits.maxPendingUpgrades) {
      refuse(socket, address, id, 'MAX_PENDING_UPGRADES')
      return
    }
    const fromAddress = perAddress.get(address) ?? 0
    if (fromAddress >= limits.maxPendingUpgradesPerIp && !isTrusted(limits.trustedProxies, address)) {
      refuse(socket, address, id, 'MAX_PENDING_UPGRADES_PER_IP')
      return
    }
    pending.set(socket, address)
    perAddress.set(address, fromAddress + 1)
    socket.once('close', () => settle(socket))
  })
  // A complete request head ends the pending state, whether it asks for an upgrade or not.
  server.on('request', (req) => settle(req.socket as Socket))
  server.on('upgrade', (req) => settle(req.socket as Socket))
}
