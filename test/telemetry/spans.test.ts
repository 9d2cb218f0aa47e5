import { describe, expect, it } from 'vitest'
import type { ResolvedExecOptions } from '../../src/execution/executor'
import { recordTierRun } from '../../src/telemetry/execution-metrics'
import { flushSpans, parseOtlpHeaders, recordSpan, toOtlp } from '../../src/telemetry/spans'
import { env } from 'cloudflare:workers'

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736'
const PARENT = '00f067aa0ba902b7'
const traceparent = `00-${TRACE}-${PARENT}-01`
const vars = { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.test/', OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc%3D1, bad, dataset=fabric', FABRIC_VERSION: '9.9.9' }

/** Stands in for the OTLP collector (none can run here): keeps what it was sent and answers 200. */
function collector() {
  const received: Request[] = []
  return {
    received,
    send: async (request: Request) => {
      received.push(request)
      return new Response('{}', { status: 200 })
    },
  }
}

describe('OTLP/JSON encoding', () => {
  it('encodes a span with resource, scope, nanosecond times, typed attributes and status', () => {
    const body = toOtlp(
      [{ traceId: TRACE, spanId: 'a1a2a3a4a5a6a7a8', parentSpanId: PARENT, name: 'policy.decide', kind: 'internal', startMs: 1700000000000.5, endMs: 1700000000002, attributes: { 'fabric.decision': 'allow', n: 3, ratio: 0.5, ok: true }, error: 'boom' }],
      '1.2.3',
    )
    expect(body).toEqual({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'edge-fabric' } }, { key: 'service.version', value: { stringValue: '1.2.3' } }] },
          scopeSpans: [
            {
              scope: { name: 'edge-fabric', version: '1.2.3' },
              spans: [
                {
                  traceId: TRACE,
                  spanId: 'a1a2a3a4a5a6a7a8',
                  parentSpanId: PARENT,
                  name: 'policy.decide',
                  kind: 1,
                  startTimeUnixNano: '1700000000000500000',
                  endTimeUnixNano: '1700000000002000000',
                  attributes: [
                    { key: 'fabric.decision', value: { stringValue: 'allow' } },
                    { key: 'n', value: { intValue: '3' } },
                    { key: 'ratio', value: { doubleValue: 0.5 } },
                    { key: 'ok', value: { boolValue: true } },
                  ],
                  status: { code: 2, message: 'boom' },
                },
              ],
            },
          ],
        },
      ],
    })
  })

  it('parses OTEL_EXPORTER_OTLP_HEADERS, skipping malformed pairs', () => {
    expect(parseOtlpHeaders(vars.OTEL_EXPORTER_OTLP_HEADERS)).toEqual({ 'x-api-key': 'abc=1', dataset: 'fabric' })
    expect(parseOtlpHeaders(undefined)).toEqual({})
  })
})

describe('span export', () => {
  it('sends recorded spans to <endpoint>/v1/traces under the parent trace, with the configured headers, redacted', async () => {
    const { received, send } = collector()
    recordSpan(vars, { name: 'GET /v1/x', kind: 'server', parent: traceparent, startMs: 1000, endMs: 1005, attributes: { 'http.route': '/v1/x', authorization: 'Bearer abcdefghijklmn' } })
    expect(await flushSpans(vars, send)).toBe(1)
    expect(received).toHaveLength(1)
    const request = received[0]!
    expect(request.url).toBe('https://collector.test/v1/traces')
    expect(request.headers.get('x-api-key')).toBe('abc=1')
    expect(request.headers.get('content-type')).toBe('application/json')
    const text = await request.text()
    expect(text).not.toContain('abcdefghijklmn')
    const span = (JSON.parse(text) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }> }).resourceSpans[0]!.scopeSpans[0]!.spans[0]!
    expect(span).toMatchObject({ traceId: TRACE, parentSpanId: PARENT, name: 'GET /v1/x', kind: 2, status: { code: 1 } })
    expect(span.spanId).toMatch(/^[0-9a-f]{16}$/)
    expect(span.spanId).not.toBe(PARENT)
    expect(await flushSpans(vars, send)).toBe(0)
  })

  it('records nothing without an endpoint', async () => {
    const { received, send } = collector()
    recordSpan({}, { name: 'x', kind: 'internal', parent: traceparent, startMs: 0, endMs: 1, attributes: {} })
    expect(await flushSpans(vars, send)).toBe(0)
    expect(received).toHaveLength(0)
  })

  it('a tier run becomes a span under the call’s traceparent, marked failed with its code', async () => {
    const { received, send } = collector()
    const options: ResolvedExecOptions = { traceparent, traceId: TRACE, executionId: 'exe_1', tenantId: 't-span', cwd: '/', env: {}, timeoutMs: 1000 }
    recordTierRun({ ...env, ...vars }, options, {
      ok: false,
      tier: 4,
      operation: 'python3',
      exitCode: 1,
      stdout: '',
      stderr: '',
      duration: 12,
      executionId: 'exe_1',
      traceId: TRACE,
      error: { code: 'TIMEOUT', message: 'took too long', retriable: true },
    })
    await flushSpans(vars, send)
    const body = JSON.parse(await received[0]!.text()) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }> }
    expect(body.resourceSpans[0]!.scopeSpans[0]!.spans[0]).toMatchObject({
      traceId: TRACE,
      parentSpanId: PARENT,
      name: 'tier 4 python3',
      kind: 3,
      status: { code: 2, message: 'TIMEOUT: took too long' },
    })
  })
})
