/**
 * W3C trace context (https://www.w3.org/TR/trace-context/): parse an incoming
 * `traceparent`, or start a new trace. A child span keeps the trace id and
 * gets a new parent id, which is what each tier hop carries.
 */
import { z } from 'zod'
import { randomHex } from './hex'

export const TraceContextSchema = z.object({ traceId: z.string(), spanId: z.string(), sampled: z.boolean(), traceparent: z.string() })
export type TraceContext = z.output<typeof TraceContextSchema>

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/

function format(traceId: string, spanId: string, sampled: boolean): TraceContext {
  return { traceId, spanId, sampled, traceparent: `00-${traceId}-${spanId}-${sampled ? '01' : '00'}` }
}

/** Parses a traceparent header; an invalid or all-zero one is ignored (a new trace starts). */
export function parseTraceparent(header: string | null | undefined): TraceContext | undefined {
  const m = header ? TRACEPARENT.exec(header.trim().toLowerCase()) : null
  const [, traceId, spanId, flags] = m ?? []
  if (!traceId || !spanId || !flags) return undefined
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined
  return format(traceId, spanId, (parseInt(flags, 16) & 1) === 1)
}

export function newTrace(): TraceContext {
  return format(randomHex(16), randomHex(8), true)
}

/** Continue the caller's trace, or start one. */
export function traceFrom(header: string | null | undefined): TraceContext {
  return parseTraceparent(header) ?? newTrace()
}

/** A child span for the next hop: same trace, new span id. */
export function childSpan(parent: TraceContext): TraceContext {
  return format(parent.traceId, randomHex(8), parent.sampled)
}
