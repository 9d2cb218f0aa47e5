/**
 * Billable units per 1000 tier-1 tasks, as the fabric counts them itself
 * (`agent_fabric_billable_*` on /metrics, src/telemetry/billable.ts): the
 * counters are read before and after 1000 tasks (each submitted, then awaited
 * with one long poll) and the difference is scaled to 1000. Everything the
 * tenant's requests spent in that window is included — the client's polls,
 * authentication's token lookups and the calls that deliver metrics (counted
 * into the next flush) too.
 *
 * Three ways in: tasks submitted to 10 agents and awaited with one long poll
 * each (`billable_per_1k_tasks.*`), tasks run with `POST /v1/exec` by 8
 * clients (`billable_exec_per_1k.*`, the issue-15 targets: concurrent execs
 * of one agent share agent calls, src/agent/exec-coalescer.ts), and the same
 * by one client, one after another, where no call is shared
 * (`billable_exec_sequential_per_1k.*`).
 */
import { throughput } from '../lib/measure.mjs'
import { requireCompleted, runPrefix, spawnAgents, submit, waitForTask } from '../lib/tasks.mjs'

export const name = 'billable'

const TASKS = 1000
const COMPONENTS = {
  do_requests: 'agent_fabric_billable_do_requests_total',
  d1_queries: 'agent_fabric_billable_d1_queries_total',
  d1_rows_read: 'agent_fabric_billable_d1_rows_read_total',
  d1_rows_written: 'agent_fabric_billable_d1_rows_written_total',
  loader_isolates: 'agent_fabric_billable_loader_isolates_total',
  subrequests: 'agent_fabric_billable_subrequests_total',
}

/** Sums every series of each billable counter in the Prometheus text. */
async function billableTotals(fabric) {
  // Read as the operator (the dev token needs no D1 lookup), so the reads add nothing but their metrics deliveries.
  const response = await fetch(`${fabric.url}/metrics?tenant_id=${encodeURIComponent(fabric.tenantId)}`, {
    headers: { authorization: `Bearer ${fabric.operatorToken}` },
  })
  if (!response.ok) throw new Error(`GET /metrics → ${response.status}`)
  const totals = Object.fromEntries(Object.keys(COMPONENTS).map((k) => [k, 0]))
  totals.metrics_do_requests = 0
  for (const line of (await response.text()).split('\n')) {
    if (line.startsWith(`${COMPONENTS.do_requests}{`) && line.includes('binding="METRICS"')) totals.metrics_do_requests += Number(line.slice(line.lastIndexOf(' ') + 1))
    for (const [key, metric] of Object.entries(COMPONENTS)) {
      if (line.startsWith(`${metric}{`) || line.startsWith(`${metric} `)) totals[key] += Number(line.slice(line.lastIndexOf(' ') + 1))
    }
  }
  return totals
}

/**
 * Metric deltas travel to the metrics objects after the requests that made
 * them; wait until two reads agree. Each read's own flush is one METRICS
 * request counted into the next read, so METRICS requests are left out of
 * the comparison (they are in the totals: the bench's few reads add about 5
 * per 1000 tasks).
 */
async function settledTotals(fabric) {
  const stable = ({ do_requests, metrics_do_requests, ...rest }) => JSON.stringify({ ...rest, other_do: do_requests - metrics_do_requests })
  let previous = await billableTotals(fabric)
  for (let reads = 0; reads < 30; reads++) {
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const next = await billableTotals(fabric)
    if (stable(next) === stable(previous)) return next
    previous = next
  }
  // Background work (alarms, settlements) still spending: count what was spent so far and say so.
  process.stderr.write(`[bench] billable counters still moving after 30 s: ${stable(previous)}\n`)
  return previous
}

async function perThousand(fabric, prefix, work) {
  const before = await settledTotals(fabric)
  await work()
  const after = await settledTotals(fabric)
  if (Object.values(after).every((v) => v === 0)) throw new Error('the fabric exposes no agent_fabric_billable_* counters on /metrics')
  return Object.fromEntries(Object.keys(after).map((key) => [`${prefix}.${key}`, ((after[key] - before[key]) * 1000) / TASKS]))
}

export async function run({ fabric, api }) {
  const agents = await spawnAgents(api, runPrefix('billable'), 10)
  const submitted = await perThousand(fabric, 'billable_per_1k_tasks', () =>
    throughput(TASKS, 20, async (i) => {
      const handle = await submit(api, agents[i % agents.length], { command: `echo ${i}` })
      requireCompleted(await waitForTask(api, handle.taskId, { wait: 30 }))
    }),
  )
  const execs = (clients) => () =>
    throughput(TASKS, clients, async (i) => {
      const result = await api('POST', '/v1/exec', { command: `echo ${i}` })
      if (result.stdout !== `${i}\n`) throw new Error(`exec answered ${JSON.stringify(result).slice(0, 200)}`)
    })
  const exec = await perThousand(fabric, 'billable_exec_per_1k', execs(8))
  const sequential = await perThousand(fabric, 'billable_exec_sequential_per_1k', execs(1))
  return { ...submitted, ...exec, ...sequential }
}
