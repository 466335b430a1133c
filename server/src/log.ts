/**
 * Structured logs: one JSON object per line on stdout. Fields never carry document content.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
}

export const isLogLevel = (value: string): value is LogLevel => value in LEVELS

export const createLogger = (
  minLevel: LogLevel,
  write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
): Logger => {
  const emit =
    (level: LogLevel) =>
    (msg: string, fields: Record<string, unknown> = {}): void => {
      if (LEVELS[level] < LEVELS[minLevel]) return
      write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }))
    }
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') }
}

/** A short description of an unknown thrown value, for log fields. */
export const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error)
