import { afterEach, describe, expect, it } from 'vitest'
import {
  createMetrics,
  PERSIST_SECONDS_BUCKETS,
  REJECTION_REASONS,
  type RelayMetrics,
} from '../../server/src/observability/metrics'
import { createRegistry, escapeLabelValue, formatValue } from '../../server/src/observability/prometheus'

// One sample line of the text format: name, optional {labels}, a value.
const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*\})? (\S+)$/

/** Samples of a rendering, keyed `name{labels}` exactly as written. */
const samples = (text: string): Map<string, number> => {
  const map = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const [key, value] = [line.slice(0, line.lastIndexOf(' ')), line.slice(line.lastIndexOf(' ') + 1)]
    map.set(key, value === '+Inf' ? Infinity : Number(value))
  }
  return map
}

const sample = (text: string, key: string): number => {
  const value = samples(text).get(key)
  if (value === undefined) throw new Error(`no sample ${key} in:\n${text}`)
  return value
}

let metrics: RelayMetrics | null = null
const relayMetrics = (): RelayMetrics => (metrics = createMetrics())
afterEach(() => metrics?.stop())

describe('relay metrics', () => {
  it('declares every relay metric with its type', () => {
    const text = relayMetrics().render()
    const types = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map(([, name, type]) => `${name} ${type}`)
    expect(types).toEqual([
      'peerboard_connections_total counter',
      'peerboard_connections gauge',
      'peerboard_rooms gauge',
      'peerboard_updates_in_total counter',
      'peerboard_bytes_in_total counter',
      'peerboard_messages_in_total counter',
      'peerboard_bytes_out_total counter',
      'peerboard_messages_out_total counter',
      'peerboard_rejections_total counter',
      'peerboard_compactions_total counter',
      'peerboard_persist_seconds histogram',
      'peerboard_room_rebuilds_total counter',
      'peerboard_storage_damaged_rows_total counter',
      'peerboard_storage_wal_lost gauge',
      'peerboard_event_loop_delay_seconds gauge',
      'process_resident_memory_bytes gauge',
      'process_cpu_seconds_total counter',
    ])
  })

  it('renders valid text format 0.0.4: HELP then TYPE once per family, then its samples, ending in a newline', () => {
    const m = relayMetrics()
    m.rejections.inc('unauthorized')
    m.persistSeconds.observe(0.002)
    const text = m.render()
    expect(text.endsWith('\n')).toBe(true)
    const lines = text.slice(0, -1).split('\n')
    let family = ''
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string
      const help = /^# HELP (\S+) .+$/.exec(line)
      if (help !== null) {
        family = help[1] as string
        expect(lines[i + 1]).toMatch(new RegExp(`^# TYPE ${family} (counter|gauge|histogram)$`))
        i++
        continue
      }
      const match = SAMPLE_LINE.exec(line)
      expect(match, line).not.toBeNull()
      const name = (match as RegExpExecArray)[1] as string
      expect([family, `${family}_bucket`, `${family}_sum`, `${family}_count`]).toContain(name)
      expect(Number.isNaN(Number((match as RegExpExecArray)[3]?.replace('+Inf', 'Infinity')))).toBe(false)
    }
    expect(new Set([...text.matchAll(/^# HELP (\S+)/gm)].map(([, name]) => name)).size).toBe(17)
  })

  it('counts sockets, rooms, frames and compactions', () => {
    const m = relayMetrics()
    m.connectionsTotal.inc()
    m.connectionsTotal.inc()
    m.connections.inc()
    m.connections.inc()
    m.connections.dec()
    m.rooms.set(7)
    m.bytesIn.inc(1500)
    m.messagesIn.inc()
    m.updatesIn.inc()
    m.bytesOut.inc(300)
    m.messagesOut.inc(3)
    m.compactions.inc()
    const text = m.render()
    expect(sample(text, 'peerboard_connections_total')).toBe(2)
    expect(sample(text, 'peerboard_connections')).toBe(1)
    expect(sample(text, 'peerboard_rooms')).toBe(7)
    expect(sample(text, 'peerboard_bytes_in_total')).toBe(1500)
    expect(sample(text, 'peerboard_messages_in_total')).toBe(1)
    expect(sample(text, 'peerboard_updates_in_total')).toBe(1)
    expect(sample(text, 'peerboard_bytes_out_total')).toBe(300)
    expect(sample(text, 'peerboard_messages_out_total')).toBe(3)
    expect(sample(text, 'peerboard_compactions_total')).toBe(1)
    expect(m.connections.get()).toBe(1)
  })

  it('a counter ignores negative and non-finite increments (recording never throws)', () => {
    const m = relayMetrics()
    m.bytesIn.inc(10)
    m.bytesIn.inc(-5)
    m.bytesIn.inc(Number.NaN)
    m.bytesIn.inc(Infinity)
    expect(m.bytesIn.get()).toBe(10)
    m.rejections.inc('malformed', -1)
    expect(m.rejections.get('malformed')).toBe(0)
  })

  it('every rejection reason is a series from the start, counted separately', () => {
    const m = relayMetrics()
    m.rejections.inc('rate_limited')
    m.rejections.inc('rate_limited')
    m.rejections.inc('forbidden_origin')
    const text = m.render()
    for (const reason of REJECTION_REASONS) {
      const expected = reason === 'rate_limited' ? 2 : reason === 'forbidden_origin' ? 1 : 0
      expect(sample(text, `peerboard_rejections_total{reason="${reason}"}`)).toBe(expected)
    }
    expect(REJECTION_REASONS).toHaveLength(18)
  })

  it('persist histogram buckets are cumulative, bounds inclusive, +Inf equals _count', () => {
    const m = relayMetrics()
    for (const seconds of [0.00005, 0.0001, 0.0003, 0.001, 0.001, 0.02, 0.7, 1, 3]) m.persistSeconds.observe(seconds)
    m.persistSeconds.observe(Number.NaN) // ignored
    const text = m.render()
    const bucket = (le: string): number => sample(text, `peerboard_persist_seconds_bucket{le="${le}"}`)
    expect(PERSIST_SECONDS_BUCKETS[0]).toBe(0.0001)
    expect(PERSIST_SECONDS_BUCKETS.at(-1)).toBe(1)
    const les = [...PERSIST_SECONDS_BUCKETS.map(formatValue), '+Inf']
    expect([...text.matchAll(/_bucket\{le="([^"]+)"\}/g)].map(([, le]) => le)).toEqual(les)
    const counts = les.map(bucket)
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1] as number)
    expect(bucket('0.0001')).toBe(2) // 0.00005 and exactly 0.0001
    expect(bucket('0.0005')).toBe(3)
    expect(bucket('0.001')).toBe(5)
    expect(bucket('0.025')).toBe(6)
    expect(bucket('1')).toBe(8)
    expect(bucket('+Inf')).toBe(9)
    expect(sample(text, 'peerboard_persist_seconds_count')).toBe(9)
    const sum = 0.00005 + 0.0001 + 0.0003 + 0.001 * 2 + 0.02 + 0.7 + 1 + 3
    expect(sample(text, 'peerboard_persist_seconds_sum')).toBeCloseTo(sum, 9)
  })

  it('persistSeconds.time observes how long a write took, also when it throws', () => {
    const m = relayMetrics()
    expect(m.persistSeconds.time(() => 42)).toBe(42)
    expect(() =>
      m.persistSeconds.time(() => {
        throw new Error('disk full')
      }),
    ).toThrow('disk full')
    const text = m.render()
    expect(sample(text, 'peerboard_persist_seconds_count')).toBe(2)
    expect(sample(text, 'peerboard_persist_seconds_sum')).toBeGreaterThanOrEqual(0)
  })

  it('samples event-loop delay and process figures at render time', async () => {
    const m = relayMetrics()
    await new Promise((resolve) => setTimeout(resolve, 30))
    const busyUntil = Date.now() + 60
    while (Date.now() < busyUntil) {
      // Block the loop so the monitor records a late run.
    }
    await new Promise((resolve) => setTimeout(resolve, 30))
    const text = m.render()
    const p50 = sample(text, 'peerboard_event_loop_delay_seconds{quantile="0.5"}')
    const p99 = sample(text, 'peerboard_event_loop_delay_seconds{quantile="0.99"}')
    const max = sample(text, 'peerboard_event_loop_delay_seconds{quantile="max"}')
    expect(p50).toBeGreaterThanOrEqual(0)
    expect(p99).toBeGreaterThanOrEqual(p50)
    expect(max).toBeGreaterThanOrEqual(p99)
    expect(max).toBeGreaterThan(0.01)
    expect(max).toBeLessThan(10)
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(1024 * 1024)
    expect(sample(text, 'process_cpu_seconds_total')).toBeGreaterThan(0)
    // Each reading covers the time since the previous scrape.
    expect(sample(m.render(), 'peerboard_event_loop_delay_seconds{quantile="max"}')).toBeLessThan(max)
  })

  it('stop() disables the event-loop monitor; render still works', async () => {
    const m = relayMetrics()
    m.stop()
    await new Promise((resolve) => setTimeout(resolve, 50))
    const text = m.render()
    expect(sample(text, 'peerboard_event_loop_delay_seconds{quantile="max"}')).toBe(0)
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0)
  })
})

describe('prometheus registry', () => {
  it('escapes backslash, double quote and newline in label values', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd')
    const registry = createRegistry()
    const counter = registry.labelledCounter('odd_total', 'Odd labels.', 'path', ['C:\\dir', 'say "hi"', 'two\nlines'])
    counter.inc('say "hi"')
    const lines = registry.render().split('\n')
    expect(lines).toContain('odd_total{path="C:\\\\dir"} 0')
    expect(lines).toContain('odd_total{path="say \\"hi\\""} 1')
    expect(lines).toContain('odd_total{path="two\\nlines"} 0')
    for (const line of lines.filter((l) => l !== '' && !l.startsWith('#'))) expect(line).toMatch(SAMPLE_LINE)
  })

  it('escapes backslash and newline in HELP text (quotes stay as they are)', () => {
    const registry = createRegistry()
    registry.gauge('g', 'a "quoted"\\path\nsecond line')
    expect(registry.render()).toBe('# HELP g a "quoted"\\\\path\\nsecond line\n# TYPE g gauge\ng 0\n')
  })

  it('writes special values as Prometheus reads them', () => {
    expect(formatValue(Number.NaN)).toBe('NaN')
    expect(formatValue(Infinity)).toBe('+Inf')
    expect(formatValue(-Infinity)).toBe('-Inf')
    expect(formatValue(0.0001)).toBe('0.0001')
    expect(formatValue(1)).toBe('1')
    const registry = createRegistry()
    const gauge = registry.gauge('g', 'A gauge.')
    gauge.set(-2.5)
    expect(registry.render()).toContain('\ng -2.5\n')
  })

  it('refuses bad or duplicate names and unordered buckets at declaration', () => {
    const registry = createRegistry()
    registry.counter('a_total', 'A.')
    expect(() => registry.counter('a_total', 'Again.')).toThrow('declared twice')
    expect(() => registry.gauge('1bad', 'Bad.')).toThrow('invalid metric name')
    expect(() => registry.gauge('has-dash', 'Bad.')).toThrow('invalid metric name')
    expect(() => registry.labelledCounter('b_total', 'B.', '__reserved', [])).toThrow('invalid label name')
    expect(() => registry.histogram('h', 'H.', [0.1, 0.1])).toThrow('increasing')
    expect(() => registry.histogram('h', 'H.', [])).toThrow('increasing')
  })
})
