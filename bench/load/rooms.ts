import { randomBytes } from 'node:crypto'
import type { ServerProcess } from '../servers/serverProcess'
import type { ServerUnderTest } from '../servers/ServerUnderTest'
import type { BenchClient, BenchClientOptions } from './BenchClient'
import { until } from './stats'

/** A fresh room name that every server accepts (for Peerboard, a valid board id). */
export const freshRoom = (): string => randomBytes(16).toString('base64url').slice(0, 22)

/** Options shared by every client of `server` in `room`. */
export const clientOptions = (
  server: ServerUnderTest,
  proc: ServerProcess,
  room: string,
  extra: Partial<BenchClientOptions> = {},
): BenchClientOptions => ({
  dialect: server.dialect,
  port: proc.port,
  room,
  probe: false,
  answerSyncStep1: !server.floor,
  ...extra,
})

/**
 * Opens clients `batch` at a time and waits until every one is synced (the floor answers nothing:
 * there, open counts as synced). Throws, naming the first failure, after `timeoutMs`.
 */
export const connectAll = async (
  server: ServerUnderTest,
  make: (index: number) => BenchClient,
  count: number,
  timeoutMs = 30_000,
  batch = 50,
): Promise<BenchClient[]> => {
  const clients: BenchClient[] = []
  const ready = (client: BenchClient): boolean => (server.floor ? client.opened : client.syncedAt !== null)
  for (let start = 0; start < count; start += batch) {
    const group: BenchClient[] = []
    for (let i = start; i < Math.min(count, start + batch); i++) group.push(make(i))
    clients.push(...group)
    try {
      await until(`${group.length} clients to sync`, () => group.every((c) => ready(c) || c.closed !== null), timeoutMs)
    } catch (error) {
      for (const client of clients) client.close()
      throw error
    }
    const failed = group.find((c) => c.closed !== null)
    if (failed !== undefined) {
      for (const client of clients) client.close()
      throw new Error(`a client was closed while connecting: ${failed.closed?.code} ${failed.closed?.reason} ${failed.error ?? ''}`)
    }
  }
  return clients
}
