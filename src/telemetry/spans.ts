/**
 * Spans of the governed path, exported as OpenTelemetry (OTLP/HTTP, JSON
 * encoding) to `OTEL_EXPORTER_OTLP_ENDPOINT` when one is configured. Workers'
 * native tracing (wrangler.toml `[observability.traces]`) already traces every
 * fetch, Durable Object, D1, KV and R2 call; these spans add the fabric's own
 * stages to the same trace ids: the HTTP request, each policy decision, each
 * run on a tier.
 *
 * No OpenTelemetry SDK: the JS SDK's exporters lean on Node timers and
 * globals that workerd lacks, and OTLP/JSON is a small, stable wire format.
 * Without an endpoint nothing is buffered, so the cost is one property read.
 * Spans are batched per isolate like metrics and sent by `flushSpans`
 * (scheduled as in flush-scheduler.ts, and at the end of every HTTP request).
 */
import { randomHex } from '../core/hex'
import { createFlushScheduler, type WaitUntil } from './flush-scheduler'
import { createLogger } from './logger'
import { redact } from './redact'
import { parseTraceparent } from '../core/trace'

export interface OtlpVars {
  /** Base URL of an OTLP/HTTP collector, e.g. https://otel.example.com (spans go to `<url>/v1/traces`). */
  OTEL_EXPORTER_OTLP_ENDPOINT?: string
  /** Extra headers, `key=value` pairs separated by commas (the OpenTelemetry convention), e.g. an API key. */
  OTEL_EXPORTER_OTLP_HEADERS?: string
  FABRIC_VERSION?: string
}

export type SpanKind = 'internal' | 'server' | 'client'
export type AttributeValue = string | number | boolean

export interface SpanRecord {
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
  kind: SpanKind
  startMs: number
  endMs: number
  attributes: Record<string, AttributeValue>
  error?: string
}

/** OTLP SpanKind numbers. */
const KIND: Record<SpanKind, number> = { internal: 1, server: 2, client: 3 }
const STATUS_OK = 1
const STATUS_ERROR = 2
/** An isolate never holds more than this many unsent spans; the oldest are dropped first. */
const MAX_PENDING_SPANS = 2000

let pending: SpanRecord[] = []
const scheduler = createFlushScheduler()

function toNanos(ms: number): string {
  return (BigInt(Math.round(ms * 1000)) * 1000n).toString()
}

function otlpValue(value: AttributeValue): Record<string, unknown> {
  if (typeof value === 'boolean') return { boolValue: value }
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value }
  return { stringValue: value }
}

function otlpAttributes(attributes: Record<string, AttributeValue>) {
  return Object.entries(redact(attributes)).map(([key, value]) => ({ key, value: otlpValue(value) }))
}

/** The OTLP/JSON `ExportTraceServiceRequest` for a batch of spans. */
export function toOtlp(spans: readonly SpanRecord[], serviceVersion: string): Record<string, unknown> {
  return {
    resourceSpans: [
      {
        resource: { attributes: otlpAttributes({ 'service.name': 'edge-fabric', 'service.version': serviceVersion }) },
        scopeSpans: [
          {
            scope: { name: 'edge-fabric', version: serviceVersion },
            spans: spans.map((s) => ({
              traceId: s.traceId,
              spanId: s.spanId,
              ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
              name: s.name,
              kind: KIND[s.kind],
              startTimeUnixNano: toNanos(s.startMs),
              endTimeUnixNano: toNanos(s.endMs),
              attributes: otlpAttributes(s.attributes),
              status: s.error === undefined ? { code: STATUS_OK } : { code: STATUS_ERROR, message: redact(s.error) },
            })),
          },
        ],
      },
    ],
  }
}

export interface SpanInput {
  name: string
  kind: SpanKind
  /** The traceparent the span runs under: its trace id is kept and its span id becomes the parent. */
  parent: string
  startMs: number
  endMs: number
  attributes: Record<string, AttributeValue>
  error?: string
}

/** Records one finished span (no-op unless an OTLP endpoint is configured). */
export function recordSpan(vars: OtlpVars, input: SpanInput, ctx?: WaitUntil): void {
  if (!vars.OTEL_EXPORTER_OTLP_ENDPOINT) return
  const parent = parseTraceparent(input.parent)
  if (!parent) return
  pending.push({
    traceId: parent.traceId,
    spanId: randomHex(8),
    parentSpanId: parent.spanId,
    name: input.name,
    kind: input.kind,
    startMs: input.startMs,
    endMs: input.endMs,
    attributes: input.attributes,
    ...(input.error !== undefined ? { error: input.error } : {}),
  })
  if (pending.length > MAX_PENDING_SPANS) pending.splice(0, pending.length - MAX_PENDING_SPANS)
  scheduler.schedule(() => flushSpans(vars), ctx)
}

/** `k1=v1,k2=v2` into headers; malformed pairs are skipped. */
export function parseOtlpHeaders(raw: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const pair of (raw ?? '').split(',')) {
    const at = pair.indexOf('=')
    if (at > 0) headers[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim())
  }
  return headers
}

export type Send = (request: Request) => Promise<Response>

/** Sends this isolate's pending spans; a failed export is logged and the batch dropped (traces are best-effort). */
export async function flushSpans(vars: OtlpVars, send: Send = (request) => fetch(request)): Promise<number> {
  scheduler.started()
  const endpoint = vars.OTEL_EXPORTER_OTLP_ENDPOINT
  if (!endpoint || pending.length === 0) return 0
  const batch = pending
  pending = []
  const request = new Request(`${endpoint.replace(/\/+$/, '')}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...parseOtlpHeaders(vars.OTEL_EXPORTER_OTLP_HEADERS) },
    body: JSON.stringify(toOtlp(batch, vars.FABRIC_VERSION ?? 'unknown')),
  })
  try {
    const response = await send(request)
    if (!response.ok) throw new Error(`collector answered ${response.status}`)
    return batch.length
  } catch (error) {
    createLogger().warn('span export failed; batch dropped', { spans: batch.length, endpoint, error })
    return 0
  }
}
