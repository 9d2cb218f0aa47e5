/**
 * Structured JSON logs: one line per event on stdout (Workers Logs / `wrangler
 * tail` / the dev server's output pick them up as-is), with the correlation ids
 * that tie a line to its trace, execution, agent, tenant and request. Every
 * line goes through `redact` first, so a secret in a message or a field never
 * reaches the log.
 */
import { redact } from './redact'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

/** The correlation ids a log line may carry; all optional, absent ones are omitted. */
export interface LogContext {
  traceId?: string
  spanId?: string
  executionId?: string
  agentId?: string
  tenantId?: string
  requestId?: string
  taskId?: string
  tier?: number
}

export type LogFields = Record<string, unknown>

/** Where formatted lines go; the default writes to the console at the matching level. */
export type LogSink = (level: LogLevel, line: string) => void

export const consoleSink: LogSink = (level, line) => {
  if (level === 'error') console.error(line)
  else if (level === 'warn') console.warn(line)
  else console.log(line)
}

export interface Logger {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
  /** A logger whose lines also carry `context` (e.g. once the agent or execution id is known). */
  child(context: LogContext): Logger
}

export interface LoggerOptions {
  /** Lines below this level are dropped. Default `info`. */
  level?: LogLevel
  sink?: LogSink
  /** Clock, for tests that compare exact lines. */
  now?: () => Date
}

/** Parses a LOG_LEVEL var; anything unknown falls back to `info`. */
export function parseLogLevel(value: string | undefined): LogLevel {
  return value && value in LEVEL_ORDER ? (value as LogLevel) : 'info'
}

/** Formats one log line: fixed keys first, so lines read the same in any tool. */
export function formatLogLine(level: LogLevel, msg: string, time: Date, context: LogContext, fields: LogFields): string {
  const line: Record<string, unknown> = { level, msg, time: time.toISOString() }
  for (const [k, v] of Object.entries(context)) if (v !== undefined) line[k] = v
  for (const [k, v] of Object.entries(fields)) if (!(k in line) && v !== undefined) line[k] = v
  return JSON.stringify(redact(line), bigintAsString)
}

/** JSON.stringify throws on a bigint (e.g. a byte count); log it as its decimal string. */
function bigintAsString(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value
}

export function createLogger(context: LogContext = {}, options: LoggerOptions = {}): Logger {
  const threshold = LEVEL_ORDER[options.level ?? 'info']
  const sink = options.sink ?? consoleSink
  const now = options.now ?? (() => new Date())
  const emit = (level: LogLevel, msg: string, fields: LogFields = {}) => {
    if (LEVEL_ORDER[level] < threshold) return
    sink(level, formatLogLine(level, msg, now(), context, fields))
  }
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (more) => createLogger({ ...context, ...more }, options),
  }
}
