/**
 * Agent and task helpers for the scheduling scenarios, over the public API
 * (POST /v1/agents, POST /v1/agents/:id/tasks, GET /v1/tasks/:id). Agent ids
 * carry a per-run prefix because the local fabric's state outlives a run.
 */
export const TERMINAL = new Set(['completed', 'failed', 'cancelled'])

export function runPrefix(scenario) {
  return `bench-${scenario}-${Date.now().toString(36)}`
}

/** Spawns `count` agents named `<prefix>-<i>` (a few at a time) and returns their ids. */
export async function spawnAgents(api, prefix, count, config = {}) {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${i}`)
  for (let i = 0; i < ids.length; i += 10) {
    await Promise.all(ids.slice(i, i + 10).map((id) => api('POST', '/v1/agents', { id, heartbeatIntervalSeconds: 0, maxQueueDepth: 100_000, ...config })))
  }
  return ids
}

export function submit(api, agentId, task) {
  return api('POST', `/v1/agents/${encodeURIComponent(agentId)}/tasks`, task)
}

function getTask(api, taskId, wait) {
  return api('GET', `/v1/tasks/${encodeURIComponent(taskId)}${wait ? `?wait=${wait}` : ''}`)
}

/**
 * Polls a task until it is terminal. `wait` (seconds) long-polls on the fabric
 * (GET /v1/tasks/:id?wait=); without it the client re-polls as soon as an
 * answer comes back, which is how a Workflows instance must be watched.
 */
export async function waitForTask(api, taskId, { wait, timeoutMs = 120_000 } = {}) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const task = await getTask(api, taskId, wait)
    if (TERMINAL.has(task.status)) return task
    if (Date.now() > deadline) throw new Error(`task ${taskId} still ${task.status} after ${timeoutMs} ms`)
  }
}

/** Fabric timestamps arrive as ISO strings or epoch ms; both become epoch ms. */
export function epochMs(value) {
  if (typeof value === 'number') return value
  const parsed = Date.parse(value)
  if (Number.isNaN(parsed)) throw new Error(`not a timestamp: ${JSON.stringify(value)}`)
  return parsed
}

export function requireCompleted(task) {
  if (task.status !== 'completed') throw new Error(`task ${task.id} ended ${task.status}: ${JSON.stringify(task.error ?? task.result ?? {}).slice(0, 300)}`)
  return task
}
