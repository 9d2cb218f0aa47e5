/**
 * Batch submit: 1,000 tier-1 tasks to one agent in one
 * `POST /v1/agents/:id/tasks` (an array), timed on the agent's own clock from
 * the first task's acceptance to the last one's finish; then every task's
 * `task.completed` event is counted in D1 through `GET /v1/wal`. Run twice:
 * on an agent with the default maxConcurrency (4), and on one with the
 * largest (64), where more attempts end together and share a transaction.
 */
import { epochMs, runPrefix, spawnAgents, waitForTask } from '../lib/tasks.mjs'

export const name = 'batch'

const TASKS = 1000

async function completedEventsInD1(api, sessionId) {
  let count = 0
  let after
  for (let page = 0; page < 20; page++) {
    const query = `sessionId=${encodeURIComponent(sessionId)}&eventType=task.completed&limit=1000${after !== undefined ? `&after=${after}` : ''}`
    const { events, nextCursor } = await api('GET', `/v1/wal?${query}`)
    count += events.length
    if (nextCursor === undefined) return count
    after = nextCursor
  }
  return count
}

async function runBatch(api, config) {
  const [agentId] = await spawnAgents(api, runPrefix('batch'), 1, config)
  const startedAt = performance.now()
  const { results } = await api('POST', `/v1/agents/${agentId}/tasks`, Array.from({ length: TASKS }, (_, i) => ({ command: `echo ${i}` })))
  const acceptedMs = performance.now() - startedAt
  const refused = results.filter((r) => !r.ok)
  if (refused.length > 0) throw new Error(`${refused.length} of ${TASKS} tasks refused, first: ${JSON.stringify(refused[0])}`)
  const first = await waitForTask(api, results[0].task.taskId, { wait: 30 })
  const last = await waitForTask(api, results[TASKS - 1].task.taskId, { wait: 30 })
  for (;;) {
    const open = await Promise.all(['pending', 'running'].map((status) => api('GET', `/v1/agents/${agentId}/tasks?status=${status}&limit=1`)))
    if (open.every(({ tasks }) => tasks.length === 0)) break
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  const { tasks } = await api('GET', `/v1/agents/${agentId}/tasks?status=completed&limit=500`)
  const lastFinish = Math.max(epochMs(last.finishedAt), ...tasks.map((t) => epochMs(t.finishedAt)))
  const agentSeconds = (lastFinish - epochMs(first.createdAt)) / 1000
  const { sessionId } = await api('GET', `/v1/agents/${agentId}`)
  const walStart = performance.now()
  let inD1 = await completedEventsInD1(api, sessionId)
  while (inD1 < TASKS && performance.now() - walStart < 30_000) {
    await new Promise((resolve) => setTimeout(resolve, 250))
    inD1 = await completedEventsInD1(api, sessionId)
  }
  return { acceptedMs, tasksPerSecond: TASKS / agentSeconds, inD1 }
}

export async function run({ api }) {
  const standard = await runBatch(api, {})
  const wide = await runBatch(api, { maxConcurrency: 64 })
  return {
    batch_accept_ms: standard.acceptedMs,
    batch_tasks_per_second_agent_clock: standard.tasksPerSecond,
    batch_completed_events_in_d1: standard.inD1,
    batch_concurrency_64_tasks_per_second_agent_clock: wide.tasksPerSecond,
    batch_concurrency_64_completed_events_in_d1: wide.inD1,
  }
}
