/**
 * Billable units, counted by the fabric itself where they are spent: the
 * bindings a request or a Durable Object uses are wrapped so every Durable
 * Object request, D1 query (with the rows D1 reports read and written), Worker
 * Loader isolate request and service-binding call is counted into the
 * `agent_fabric_billable_*` metrics of the tenant it was spent for.
 *
 *   const env = meterBindings(rawEnv, tenantId, metrics(rawEnv, ctx))
 *
 * A Durable Object that learns its tenant after construction (an agent, from
 * its spawn) passes a function instead; units spent while it returns
 * undefined are not counted.
 *
 * Counted elsewhere: the token lookup of authentication (src/api/auth/tokens.ts,
 * once the tenant is known) and calls to the METRICS namespace (the recorder
 * counts each delivered call into its next flush without scheduling a flush
 * for it, so counting a flush never causes one).
 *
 * What is not counted, and why:
 * - `fetch()` to the internet or to sandboxd: it is not a binding, so it does
 *   not pass through here (tier 4 calls are counted by the executions metric);
 * - `D1PreparedStatement.raw()` and `D1Database.exec()`: D1 returns no row
 *   counts for them, so they count as queries without rows.
 * `first()` is answered from `all()` (D1 runs the same query either way) so
 * its rows are counted too.
 */
import type { Env } from '../env'
import type { MetricsRecorder } from './metrics/recorder'

/** Durable Object namespaces whose requests are billed (METRICS is left out: see above). */
const DURABLE_OBJECT_BINDINGS = ['AGENT', 'SAGA', 'RATE_LIMITER', 'BUDGET_LEDGER', 'SANDBOX'] as const satisfies readonly (keyof Env)[]
const SERVICE_BINDINGS = ['SVC_JQ', 'SVC_CONVERT'] as const satisfies readonly (keyof Env)[]

type Recorder = Pick<MetricsRecorder, 'count'>

/** The tenant units are counted for: fixed, or looked up at each unit (undefined → not counted). */
export type BillableTenant = string | (() => string | undefined)

/** Wraps the callable members of `target` so each call runs `onCall` first; other members pass through. */
function countCalls<T extends object>(target: T, onCall: (member: string) => void): T {
  return new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property)
      // Symbols (Symbol.dispose …) and `then` (thenable checks) are not requests.
      if (typeof value !== 'function' || typeof property === 'symbol' || property === 'then') return value
      return (...args: unknown[]) => {
        onCall(property)
        return Reflect.apply(value, object, args)
      }
    },
  })
}

/** A namespace whose stubs count every call on them (a fetch or an RPC method) as one request. */
function meterNamespace<T extends object>(namespace: T, onRequest: () => void): T {
  return new Proxy(namespace, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property)
      if (typeof value !== 'function') return value
      if (property === 'get' || property === 'getByName') {
        return (...args: unknown[]) => countCalls(Reflect.apply(value, object, args) as object, onRequest)
      }
      return (...args: unknown[]) => Reflect.apply(value, object, args)
    },
  })
}

/** One D1 statement and the rows D1 reports for it, billed to `tenantId` (also for lookups made before a tenant is known). */
export function countD1Statement(recorder: Recorder, tenantId: string, meta: D1Meta | undefined): void {
  recorder.count('agent_fabric_billable_d1_queries_total', { tenant_id: tenantId })
  if (meta?.rows_read) recorder.count('agent_fabric_billable_d1_rows_read_total', { tenant_id: tenantId }, meta.rows_read)
  if (meta?.rows_written) recorder.count('agent_fabric_billable_d1_rows_written_total', { tenant_id: tenantId }, meta.rows_written)
}

interface D1Counter {
  query(meta: D1Meta | undefined): void
}

const ORIGINAL = Symbol('original statement')

type MeteredStatement = D1PreparedStatement & { [ORIGINAL]: D1PreparedStatement }

function meterStatement(statement: D1PreparedStatement, counter: D1Counter): MeteredStatement {
  return new Proxy(statement, {
    get(object, property) {
      if (property === ORIGINAL) return object
      if (property === 'bind') return (...values: unknown[]) => meterStatement(object.bind(...values), counter)
      if (property === 'run' || property === 'all') {
        return async () => {
          const result = await object.all()
          counter.query(result.meta)
          return result
        }
      }
      if (property === 'first') {
        return async (column?: string) => {
          const { results, meta } = await object.all<Record<string, unknown>>()
          counter.query(meta)
          const row = results[0]
          if (row === undefined) return null
          if (column === undefined) return row
          if (!(column in row)) throw new Error(`D1_COLUMN_NOTFOUND: Column not found (${column})`)
          return row[column]
        }
      }
      if (property === 'raw') {
        return (...args: unknown[]) => {
          counter.query(undefined)
          return Reflect.apply(object.raw, object, args)
        }
      }
      const value: unknown = Reflect.get(object, property)
      return typeof value === 'function' ? (...args: unknown[]) => Reflect.apply(value, object, args) : value
    },
  }) as MeteredStatement
}

function unwrapStatement(statement: D1PreparedStatement): D1PreparedStatement {
  return (statement as Partial<MeteredStatement>)[ORIGINAL] ?? statement
}

function meterD1(db: D1Database, counter: D1Counter): D1Database {
  return new Proxy(db, {
    get(object, property) {
      if (property === 'prepare') return (sql: string) => meterStatement(object.prepare(sql), counter)
      if (property === 'batch') {
        return async (statements: D1PreparedStatement[]) => {
          // D1 accepts only its own statement objects, not our wrappers.
          const results = await object.batch(statements.map(unwrapStatement))
          for (const result of results) counter.query(result.meta)
          return results
        }
      }
      if (property === 'exec') {
        return async (sql: string) => {
          const result = await object.exec(sql)
          for (let i = 0; i < result.count; i++) counter.query(undefined)
          return result
        }
      }
      const value: unknown = Reflect.get(object, property)
      return typeof value === 'function' ? (...args: unknown[]) => Reflect.apply(value, object, args) : value
    },
  })
}

/**
 * `env` with its billable bindings wrapped; every unit they spend is counted
 * for `tenant`. Other members (vars, R2, KV, METRICS) are the originals.
 */
export function meterBindings<E extends Env>(env: E, tenant: BillableTenant, recorder: Recorder): E {
  const tenantOf = typeof tenant === 'string' ? () => tenant : tenant
  /** Counts for the current tenant, or not at all when it is not known yet. */
  const count = (name: Parameters<Recorder['count']>[0], labels: Record<string, string>, n = 1) => {
    const tenant_id = tenantOf()
    if (tenant_id !== undefined) recorder.count(name, { ...labels, tenant_id } as Parameters<Recorder['count']>[1], n)
  }
  const d1: D1Counter = {
    query(meta) {
      const tenant_id = tenantOf()
      if (tenant_id !== undefined) countD1Statement(recorder, tenant_id, meta)
    },
  }
  const wrapped = new Map<PropertyKey, unknown>()
  wrapped.set('DB', meterD1(env.DB, d1))
  for (const binding of DURABLE_OBJECT_BINDINGS) {
    const namespace = env[binding]
    if (namespace) wrapped.set(binding, meterNamespace(namespace, () => count('agent_fabric_billable_do_requests_total', { binding })))
  }
  for (const binding of SERVICE_BINDINGS) {
    const service = env[binding]
    if (service) wrapped.set(binding, countCalls(service, () => count('agent_fabric_billable_subrequests_total', { binding })))
  }
  if (env.LOADER) {
    wrapped.set(
      'LOADER',
      countCalls(env.LOADER, (member) => {
        if (member === 'get') count('agent_fabric_billable_loader_isolates_total', {})
      }),
    )
  }
  return new Proxy(env, {
    get: (object, property) => (wrapped.has(property) ? wrapped.get(property) : Reflect.get(object, property)),
  })
}
