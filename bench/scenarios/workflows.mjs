/**
 * The fabric's per-task overhead against a one-step Cloudflare Workflow doing
 * the same work (bench/workflows: the same shell interpreter and tier-1 code),
 * both on local workerd, interleaved. Each side is watched the same way: submit,
 * then re-poll its status as soon as an answer comes back until it is done. The
 * work itself (`echo hello`) takes microseconds, so submit → done is overhead.
 */
import { latencyFigures, sampleInterleaved } from '../lib/measure.mjs'
import { requireCompleted, runPrefix, spawnAgents, submit, waitForTask } from '../lib/tasks.mjs'
import { startWorker } from '../lib/worker.mjs'

export const name = 'workflows'

const COMMAND = 'echo hello'

async function json(response) {
  const text = await response.text()
  if (!response.ok) throw new Error(`workflows bench worker → ${response.status}: ${text.slice(0, 300)}`)
  return JSON.parse(text)
}

async function runWorkflow(url) {
  const { id } = await json(await fetch(`${url}/instances`, { method: 'POST', body: JSON.stringify({ command: COMMAND }) }))
  for (;;) {
    const status = await json(await fetch(`${url}/instances/${id}`))
    if (status.status === 'complete') {
      if (status.output?.stdout !== 'hello\n') throw new Error(`workflow output was ${JSON.stringify(status.output)}`)
      return
    }
    if (['errored', 'terminated'].includes(status.status)) throw new Error(`workflow ${id} ${status.status}: ${JSON.stringify(status.error)}`)
  }
}

async function runFabricTask(api, agentId) {
  const handle = await submit(api, agentId, { command: COMMAND })
  const task = requireCompleted(await waitForTask(api, handle.taskId))
  if (task.result?.stdout !== 'hello\n') throw new Error(`fabric task output was ${JSON.stringify(task.result)}`)
}

export async function run({ api, iterations }) {
  const workflows = await startWorker('bench/workflows/wrangler.toml')
  try {
    const [agentId] = await spawnAgents(api, runPrefix('workflows'), 1)
    const stats = await sampleInterleaved(
      { fabric: () => runFabricTask(api, agentId), workflow: () => runWorkflow(workflows.url) },
      // A local Workflow instance takes a few hundred ms; 100 pairs are plenty for a p50.
      { iterations: Math.min(iterations, 100), warmup: 5 },
    )
    return {
      ...latencyFigures('fabric_task', stats.fabric),
      ...latencyFigures('workflow_task', stats.workflow),
      vs_workflows_ratio: stats.fabric.p50 / stats.workflow.p50,
    }
  } finally {
    await workflows.stop()
  }
}
