/**
 * Billable units counted by the fabric's own instrumentation: D1 queries and
 * the rows D1 reports, Durable Object requests by namespace, and that the
 * wrapped bindings answer exactly like the originals.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { meterBindings } from '../../src/telemetry/billable'
import { flushMetrics, metrics } from '../../src/telemetry/metrics/recorder'
import { call } from '../helpers/http'
import { createTenant } from '../helpers/tenants'

/** Read with the operator's dev token (no D1 lookup), so the reads add nothing to the tenant's counts. */
async function seriesValue(tenantId: string, series: string): Promise<number> {
  const text = await (await call('GET', `/metrics?tenant_id=${encodeURIComponent(tenantId)}`)).text()
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? 0 : Number(line.slice(series.length + 1))
}

describe('billable units', () => {
  it('counts D1 statements and the rows D1 reports read and written, per tenant', async () => {
    const { tenant } = await createTenant()
    const metered = meterBindings(env, tenant.id, metrics(env))
    const table = `billable_probe_${crypto.randomUUID().replaceAll('-', '')}`
    const reported = { read: 0, written: 0 }
    const add = (meta: D1Meta) => {
      reported.read += meta.rows_read
      reported.written += meta.rows_written
    }
    add((await metered.DB.prepare(`CREATE TABLE ${table} (id INTEGER PRIMARY KEY, name TEXT)`).run()).meta)
    const inserts = ['a', 'b', 'c'].map((name) => metered.DB.prepare(`INSERT INTO ${table} (name) VALUES (?)`).bind(name))
    for (const result of await metered.DB.batch(inserts)) add(result.meta)
    const all = await metered.DB.prepare(`SELECT name FROM ${table} ORDER BY id`).all<{ name: string }>()
    add(all.meta)
    expect(all.results.map((r) => r.name)).toEqual(['a', 'b', 'c'])
    // first() is served from all(): same answers as D1's own first().
    expect(await metered.DB.prepare(`SELECT name FROM ${table} WHERE name = ?`).bind('b').first()).toEqual({ name: 'b' })
    expect(await metered.DB.prepare(`SELECT name FROM ${table} WHERE name = ?`).bind('b').first('name')).toBe('b')
    expect(await metered.DB.prepare(`SELECT name FROM ${table} WHERE name = ?`).bind('zz').first()).toBeNull()
    await expect(metered.DB.prepare(`SELECT name FROM ${table}`).first('nope')).rejects.toThrow('D1_COLUMN_NOTFOUND')
    const firstMeta = (await env.DB.prepare(`SELECT name FROM ${table} WHERE name = ?`).bind('b').all()).meta
    await flushMetrics(env)

    const t = `tenant_id="${tenant.id}"`
    // create + 3 inserts + select + 4 first() calls
    expect(await seriesValue(tenant.id, `agent_fabric_billable_d1_queries_total{${t}}`)).toBe(9)
    expect(reported.written).toBeGreaterThanOrEqual(3)
    expect(await seriesValue(tenant.id, `agent_fabric_billable_d1_rows_written_total{${t}}`)).toBe(reported.written)
    // The three first() calls that matched the WHERE scan like the unmetered query; the last reads the table.
    const expectedRead = reported.read + 3 * firstMeta.rows_read + all.meta.rows_read
    expect(await seriesValue(tenant.id, `agent_fabric_billable_d1_rows_read_total{${t}}`)).toBe(expectedRead)
  })

  it('counts every call on a Durable Object stub as one request of its namespace, and leaves METRICS alone', async () => {
    const { tenant } = await createTenant()
    const metered = meterBindings(env, tenant.id, metrics(env))
    const limiter = metered.RATE_LIMITER.get(metered.RATE_LIMITER.idFromName(tenant.id))
    const first = await limiter.limits()
    const second = await limiter.limits()
    expect(second).toEqual(first)
    expect(await env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(tenant.id)).limits()).toEqual(first)
    expect(metered.METRICS).toBe(env.METRICS)
    expect(metered.FABRIC_VERSION).toBe(env.FABRIC_VERSION)
    await flushMetrics(env)
    const t = `tenant_id="${tenant.id}"`
    expect(await seriesValue(tenant.id, `agent_fabric_billable_do_requests_total{${t},binding="RATE_LIMITER"}`)).toBe(2)
  })

  it('counts what an RPC session spends for its tenant, like an HTTP request', async () => {
    // A fresh tenant that has made no request of its own yet, so the counts are the session's alone.
    const { tenant, token } = await createTenant()
    const rpc = env.RPC_CLIENT as unknown as { execAs(token: string, request: unknown): Promise<Record<string, unknown>> }
    const result = await rpc.execAs(token.value, { command: 'ls /' })
    expect(result).toMatchObject({ ok: true, exitCode: 0, stdout: '', tier: 1 })
    await flushMetrics(env)
    const t = `tenant_id="${tenant.id}"`
    // The session's rate-limit token, then the one call to the tenant's default agent.
    expect(await seriesValue(tenant.id, `agent_fabric_billable_do_requests_total{${t},binding="RATE_LIMITER"}`)).toBe(1)
    expect(await seriesValue(tenant.id, `agent_fabric_billable_do_requests_total{${t},binding="AGENT"}`)).toBe(1)
  })

  it('counts for a tenant learned later only from then on (a Durable Object before its spawn)', async () => {
    const { tenant } = await createTenant()
    let known: string | undefined
    const metered = meterBindings(env, () => known, metrics(env))
    const limiter = metered.RATE_LIMITER.get(metered.RATE_LIMITER.idFromName(tenant.id))
    await limiter.limits()
    known = tenant.id
    await limiter.limits()
    await flushMetrics(env)
    expect(await seriesValue(tenant.id, `agent_fabric_billable_do_requests_total{tenant_id="${tenant.id}",binding="RATE_LIMITER"}`)).toBe(1)
  })
})
