/** Structured JSON log lines on stderr. Callers pass fields, never secrets or command environments. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

export function createLogger(write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const emit = (level: string, message: string, fields: Record<string, unknown> = {}) =>
    write(`${JSON.stringify({ t: new Date().toISOString(), service: 'sandboxd', level, message, ...fields })}\n`)
  return {
    info: (message, fields) => emit('info', message, fields),
    error: (message, fields) => emit('error', message, fields),
  }
}
