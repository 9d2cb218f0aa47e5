/** Structured JSON log lines on stderr. Callers pass fields, never secrets or command environments. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

export type LogLevel = 'info' | 'error'

/** `error` keeps only errors (`npm run dev` runs it so, to print no line per request). */
export function createLogger(write: (line: string) => void = (line) => process.stderr.write(line), level: LogLevel = 'info'): Logger {
  const emit = (level: string, message: string, fields: Record<string, unknown> = {}) =>
    write(`${JSON.stringify({ t: new Date().toISOString(), service: 'sandboxd', level, message, ...fields })}\n`)
  return {
    info: (message, fields) => (level === 'info' ? emit('info', message, fields) : undefined),
    error: (message, fields) => emit('error', message, fields),
  }
}
