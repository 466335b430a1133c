import { pino, stdTimeFunctions, type DestinationStream } from 'pino'

/**
 * Structured logs through pino: one JSON object per line, on stdout unless a `write` function is
 * given (tests pass one). Each line has `level` as a word (`"info"`), `time` as an ISO 8601
 * string, `msg`, and the entry's fields at the top level. A field named `time`, `level` or `msg`
 * is renamed with a leading underscore, so it cannot pass for the line's own.
 *
 * Fields never carry document content (SPEC [A6] also keeps tokens and query strings out): any
 * field named `token`, `authorization`, `url` or `query`, at the top level or up to three objects
 * deep (`req.url`, `a.b.c.token`), is written as "[redacted]", so a token passed by mistake still
 * does not reach the logs.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error']

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
}

export const isLogLevel = (value: string): value is LogLevel => (LEVELS as readonly string[]).includes(value)

/** Field names whose values are never logged. */
export const REDACTED_FIELDS = ['token', 'authorization', 'url', 'query'] as const
export const REDACTED = '[redacted]'
const REDACT_DEPTH = 3
const REDACT_PATHS = REDACTED_FIELDS.flatMap((field) =>
  Array.from({ length: REDACT_DEPTH + 1 }, (_, depth) => [...Array<string>(depth).fill('*'), field].join('.')),
)

const RESERVED = new Set(['time', 'level', 'msg'])
const withoutReserved = (fields: Record<string, unknown>): Record<string, unknown> => {
  if (!Object.keys(fields).some((key) => RESERVED.has(key))) return fields
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [RESERVED.has(key) ? `_${key}` : key, value]))
}

export const createLogger = (minLevel: LogLevel, write?: (line: string) => void): Logger => {
  // pino ends every line with "\n"; `write` receives the line without it, as it always has.
  const destination: DestinationStream =
    write === undefined ? process.stdout : { write: (line) => write(line.endsWith('\n') ? line.slice(0, -1) : line) }
  const logger = pino(
    {
      level: minLevel,
      base: null,
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
    },
    destination,
  )
  const emit =
    (level: LogLevel) =>
    (msg: string, fields?: Record<string, unknown>): void => {
      if (fields === undefined) logger[level](msg)
      else logger[level](withoutReserved(fields), msg)
    }
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') }
}

/** A short description of an unknown thrown value, for log fields. */
export const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error)
