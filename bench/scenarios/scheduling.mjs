/**
 * The scheduler at load: 100 agents, tier-1 tasks submitted by many clients at
 * once, each client waiting for its task to end before submitting the next.
 *
 * - tasks_per_second: completed tasks / wall time from the first submit to the
 *   last completion, across all agents (sustained: the clients keep every
 *   agent's queue fed for the whole run).
 * - schedule_*: per task, from the moment the client sends it to the task's
 *   `startedAt` (the fabric's clock; same machine, same wall clock): HTTP,
 *   auth, validation, policy, budget, the WAL write, enqueue and dispatch.
 * - queue_wait_*: `createdAt` → `startedAt`, both on the agent's clock: the
 *   wait inside the queue once accepted. Workers clocks advance only at I/O,
 *   so a task dispatched in the same turn that accepted it shows 0 here.
 * - accept_*: the client's round trip of POST /v1/agents/:id/tasks.
 */
import { latencyFigures, summarise, throughput } from '../lib/measure.mjs'
import { epochMs, requireCompleted, runPrefix, spawnAgents, submit, waitForTask } from '../lib/tasks.mjs'

export const name = 'scheduling'

const AGENTS = 100
/** Two clients per agent keep each queue non-empty while a task runs. */
const CLIENTS = 2 * AGENTS

export async function run({ api, iterations }) {
  const agents = await spawnAgents(api, runPrefix('sched'), AGENTS)
  const total = Math.max(1000, iterations * 5)
  const schedule = []
  const queueWait = []
  const accept = []
  const rate = await throughput(total, CLIENTS, async (i) => {
    const agentId = agents[i % AGENTS]
    const sentAt = Date.now()
    const sent = performance.now()
    const handle = await submit(api, agentId, { command: `echo task-${i}` })
    accept.push(performance.now() - sent)
    const task = requireCompleted(await waitForTask(api, handle.taskId, { wait: 30 }))
    schedule.push(epochMs(task.startedAt) - sentAt)
    queueWait.push(epochMs(task.startedAt) - epochMs(task.createdAt))
  })
  return {
    tasks_per_second: rate,
    tasks_total: total,
    ...latencyFigures('schedule', summarise(schedule)),
    ...latencyFigures('queue_wait', summarise(queueWait)),
    ...latencyFigures('accept', summarise(accept)),
  }
}
