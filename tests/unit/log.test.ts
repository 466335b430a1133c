import { describe, expect, it } from 'vitest'
import { createLogger, describeError, isLogLevel, REDACTED, type LogLevel, type Logger } from '../../server/src/log'

/** A logger writing into an array, and the lines parsed. */
const capture = (minLevel: LogLevel): { log: Logger; lines: string[]; entries: () => Record<string, unknown>[] } => {
  const lines: string[] = []
  const log = createLogger(minLevel, (line) => lines.push(line))
  return { log, lines, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) }
}

describe('logger', () => {
  it('writes one JSON line per entry, without a trailing newline', () => {
    const { log, lines } = capture('debug')
    log.info('first')
    log.warn('second', { room: 'abc' })
    expect(lines).toHaveLength(2)
    for (const line of lines) {
      expect(line).not.toContain('\n')
      expect(() => JSON.parse(line) as unknown).not.toThrow()
    }
  })

  it('drops entries below the minimum level', () => {
    const { log, entries } = capture('warn')
    log.debug('d')
    log.info('i')
    log.warn('w')
    log.error('e')
    expect(entries().map((e) => e.msg)).toEqual(['w', 'e'])

    const all = capture('debug')
    all.log.debug('d')
    all.log.error('e')
    expect(all.entries().map((e) => e.msg)).toEqual(['d', 'e'])
  })

  it('has level as a word, time as an ISO string, msg, and fields at the top level', () => {
    const { log, entries } = capture('debug')
    const before = Date.now()
    for (const level of ['debug', 'info', 'warn', 'error'] as const) log[level](`at ${level}`, { room: 'r1', count: 3 })
    for (const [i, entry] of entries().entries()) {
      const level = ['debug', 'info', 'warn', 'error'][i]
      expect(entry).toMatchObject({ level, msg: `at ${level}`, room: 'r1', count: 3 })
      expect(typeof entry.time).toBe('string')
      expect(new Date(entry.time as string).toISOString()).toBe(entry.time)
      expect(Date.parse(entry.time as string)).toBeGreaterThanOrEqual(before - 1000)
      // No pino extras (pid, hostname): the line says what the relay logged and nothing else.
      expect(Object.keys(entry).sort()).toEqual(['count', 'level', 'msg', 'room', 'time'])
    }
  })

  it('keeps a message with printf-like sequences as it is', () => {
    const { log, entries } = capture('info')
    log.info('100%d done %s %%')
    log.info('50%s', { a: 1 })
    expect(entries().map((e) => e.msg)).toEqual(['100%d done %s %%', '50%s'])
  })

  it('a field named time, level or msg cannot pass for the line’s own', () => {
    const { log, lines, entries } = capture('info')
    log.info('real', { time: 5, level: 'error', msg: 'fake' })
    const [entry] = entries()
    expect(entry).toMatchObject({ msg: 'real', level: 'info', _time: 5, _level: 'error', _msg: 'fake' })
    expect(typeof entry?.time).toBe('string')
    expect(lines[0]?.match(/"msg":/g)).toHaveLength(1)
  })

  it('[A6] a token field is redacted, at the top level and nested', () => {
    const { log, lines, entries } = capture('debug')
    const secret = 'pb1.eyJiIjoiYWJjIn0.c2lnbmF0dXJl'
    const fields = {
      token: secret,
      room: 'board1',
      upgrade: { token: secret, origin: 'https://board.example.org' },
      deep: { a: { b: { token: secret } } },
    }
    log.warn('refused', fields)
    expect(lines[0]).not.toContain(secret)
    expect(entries()[0]).toMatchObject({
      token: REDACTED,
      room: 'board1',
      upgrade: { token: REDACTED, origin: 'https://board.example.org' },
      deep: { a: { b: { token: REDACTED } } },
    })
    expect(REDACTED).toBe('[redacted]')
    // The caller's object is left as it was.
    expect(fields.token).toBe(secret)
    expect(fields.upgrade.token).toBe(secret)
  })

  it('[A6] url, query and authorization fields are redacted, so query strings never reach the logs', () => {
    const { log, lines, entries } = capture('debug')
    log.info('upgrade', {
      url: '/sync/board1?token=pb1.x.y',
      req: { url: '/sync/board1?token=pb1.x.y', method: 'GET', headers: { authorization: 'Bearer pb1.x.y' } },
      query: { token: 'pb1.x.y' },
      authorization: 'Bearer pb1.x.y',
    })
    expect(lines[0]).not.toContain('pb1.x.y')
    expect(entries()[0]).toMatchObject({
      url: REDACTED,
      req: { url: REDACTED, method: 'GET', headers: { authorization: REDACTED } },
      query: REDACTED,
      authorization: REDACTED,
    })
  })

  it('isLogLevel accepts exactly the four levels', () => {
    for (const level of ['debug', 'info', 'warn', 'error']) expect(isLogLevel(level)).toBe(true)
    for (const other of ['trace', 'fatal', 'INFO', '', 'toString', 'constructor', '__proto__']) {
      expect(isLogLevel(other)).toBe(false)
    }
  })

  it('describeError names the error, or stringifies anything else', () => {
    expect(describeError(new TypeError('bad'))).toBe('TypeError: bad')
    expect(describeError('plain')).toBe('plain')
    expect(describeError(42)).toBe('42')
  })
})
