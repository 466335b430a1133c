import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  createAccessPool,
  freshId,
  nowSeconds,
  signToken,
  syncUrl,
  TEST_SECRET,
  tokenFor,
  upgradeStatus,
} from '../helpers/accessTokens'
import { metricValue, samples, sampleValue, scrapeMetrics } from '../helpers/metricsText'
import type { RelayProcess } from '../helpers/relayProcess'
import { getHealth, waitForText, waitSynced } from '../helpers/syncClients'
import { waitFor } from '../helpers/wait'

const ALLOWED_ORIGIN = 'https://board.example.org'

/** The relay's /metrics: Prometheus text whose counters follow what happens. */
describe('relay metrics', () => {
  const relays = createAccessPool()
  const pool = createAccessPool()
  let relay: RelayProcess
  let board: string
  let rw: string

  beforeAll(async () => {
    relay = await relays.relay({ env: { RELAY_SECRET: TEST_SECRET, ALLOWED_ORIGINS: ALLOWED_ORIGIN } })
    board = freshId()
    rw = tokenFor(board, 'rw')
  })
  afterEach(() => pool.clear())
  afterAll(() => relays.clear())

  it('GET /metrics answers the Prometheus text format with HELP and TYPE for every family', async () => {
    const scrape = await scrapeMetrics(relay)
    expect(scrape.status).toBe(200)
    expect(scrape.contentType).toContain('text/plain')
    expect(scrape.contentType).toContain('version=0.0.4')
    expect(scrape.text.endsWith('\n')).toBe(true)
    // Every line is a comment or a well-formed sample (samples() throws otherwise).
    const all = samples(scrape.text)
    expect(all.length).toBeGreaterThan(10)
    expect(all.every((s) => !Number.isNaN(s.value))).toBe(true)
    for (const [name, type] of [
      ['peerboard_connections_total', 'counter'],
      ['peerboard_connections', 'gauge'],
      ['peerboard_rooms', 'gauge'],
      ['peerboard_updates_in_total', 'counter'],
      ['peerboard_bytes_in_total', 'counter'],
      ['peerboard_messages_in_total', 'counter'],
      ['peerboard_bytes_out_total', 'counter'],
      ['peerboard_messages_out_total', 'counter'],
      ['peerboard_rejections_total', 'counter'],
      ['peerboard_compactions_total', 'counter'],
      ['peerboard_persist_seconds', 'histogram'],
      ['peerboard_storage_damaged_rows_total', 'counter'],
      ['peerboard_storage_wal_lost', 'gauge'],
    ]) {
      expect(scrape.text).toContain(`# HELP ${name} `)
      expect(scrape.text).toContain(`# TYPE ${name} ${type}\n`)
    }
    // Histogram buckets are cumulative and end with +Inf equal to the count.
    const buckets = all.filter((s) => s.name === 'peerboard_persist_seconds_bucket')
    expect(buckets.at(-1)?.labels).toBe('{le="+Inf"}')
    for (let i = 1; i < buckets.length; i++) {
      expect(buckets[i]?.value).toBeGreaterThanOrEqual(buckets[i - 1]?.value as number)
    }
    expect(buckets.at(-1)?.value).toBe(sampleValue(scrape.text, 'peerboard_persist_seconds_count'))
  })

  it('counters move: connections, updates and bytes in, SQLite writes; gauges follow sockets and rooms', async () => {
    const before = (await scrapeMetrics(relay)).text
    const room = `${board}.p.${freshId()}`
    const a = pool.tokenClient(relay, room, rw)
    const b = pool.tokenClient(relay, room, rw)
    await Promise.all([waitSynced(a), waitSynced(b)])
    const writes = 5
    for (let i = 0; i < writes; i++) a.text.insert(a.text.length, `update ${i}; `)
    await waitForText(b, a.text.toString())
    const during = (await scrapeMetrics(relay)).text

    const delta = (name: string, labels = ''): number => sampleValue(during, name, labels) - sampleValue(before, name, labels)
    expect(delta('peerboard_connections_total')).toBe(2)
    expect(sampleValue(during, 'peerboard_connections')).toBe(2)
    expect(sampleValue(during, 'peerboard_rooms')).toBe(1)
    expect(delta('peerboard_updates_in_total')).toBeGreaterThanOrEqual(writes)
    expect(delta('peerboard_messages_in_total')).toBeGreaterThanOrEqual(writes)
    expect(delta('peerboard_bytes_in_total')).toBeGreaterThan(writes * 'update 0; '.length)
    expect(delta('peerboard_messages_out_total')).toBeGreaterThanOrEqual(writes)
    expect(delta('peerboard_bytes_out_total')).toBeGreaterThan(0)
    // Each update is one SQLite append, observed in the histogram.
    expect(delta('peerboard_persist_seconds_count')).toBeGreaterThanOrEqual(writes)
    expect(delta('peerboard_persist_seconds_sum')).toBeGreaterThan(0)
    // No series carries a room, board or address.
    expect(during).not.toContain(board)
    expect(during).not.toContain('127.0.0.1')

    a.destroy()
    b.destroy()
    await waitFor('the gauges to drop back', async () => {
      const text = (await scrapeMetrics(relay)).text
      return sampleValue(text, 'peerboard_connections') === 0 && sampleValue(text, 'peerboard_rooms') === 0
    })
    // The room's log was compacted as it unloaded.
    expect(await metricValue(relay, 'peerboard_compactions_total')).toBeGreaterThan(sampleValue(before, 'peerboard_compactions_total'))
  })

  it('peerboard_rejections_total{reason="unauthorized"} counts a refused upgrade; forbidden_origin and bad_room too', async () => {
    const label = (reason: string): string => `reason="${reason}"`
    const before = (await scrapeMetrics(relay)).text
    const expired = signToken(TEST_SECRET, { b: board, s: 'rw', e: nowSeconds() - 1 })
    expect(await upgradeStatus(syncUrl(relay, board, expired))).toBe(401)
    expect(await upgradeStatus(syncUrl(relay, board, null))).toBe(401)
    expect(await upgradeStatus(syncUrl(relay, board, rw), { origin: 'https://evil.example' })).toBe(403)
    expect(await upgradeStatus(syncUrl(relay, 'bad.name', rw))).toBe(400)
    const after = (await scrapeMetrics(relay)).text
    const delta = (reason: string): number =>
      sampleValue(after, 'peerboard_rejections_total', label(reason)) -
      sampleValue(before, 'peerboard_rejections_total', label(reason))
    expect(delta('unauthorized')).toBe(2)
    expect(delta('forbidden_origin')).toBe(1)
    expect(delta('bad_room')).toBe(1)
    // A refused upgrade is not a connection.
    expect(sampleValue(after, 'peerboard_connections_total')).toBe(sampleValue(before, 'peerboard_connections_total'))
    expect(await getHealth(relay)).toMatchObject({ connections: 0 })
  })

  it('a socket closed for a policy reason is counted under its reason', async () => {
    const before = await metricValue(relay, 'peerboard_rejections_total', 'reason="unknown_type"')
    const socket = await pool.tokenSocket(relay, `${board}.p.${freshId()}`, rw)
    socket.send([9])
    expect((await socket.waitClosed()).code).toBe(4401)
    expect(await metricValue(relay, 'peerboard_rejections_total', 'reason="unknown_type"')).toBe(before + 1)
  })
})
