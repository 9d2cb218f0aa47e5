/**
 * Agent spawn: POST /v1/agents until the agent reports RUNNING (the POST's
 * answer when spawning completes in the request, otherwise polled).
 */
import { latencyFigures, summarise } from '../lib/measure.mjs'
import { runPrefix } from '../lib/tasks.mjs'

export const name = 'spawn'

async function spawnToRunning(api, id) {
  const start = performance.now()
  let agent = await api('POST', '/v1/agents', { id, heartbeatIntervalSeconds: 0 })
  while (agent.state !== 'RUNNING') {
    if (['FAILED', 'TERMINATED', 'COMPLETED'].includes(agent.state)) throw new Error(`agent ${id} ended ${agent.state} while spawning`)
    agent = await api('GET', `/v1/agents/${id}`)
  }
  return performance.now() - start
}

export async function run({ api, iterations }) {
  const prefix = runPrefix('spawn')
  for (let i = 0; i < 5; i++) await spawnToRunning(api, `${prefix}-warmup-${i}`)
  const samples = []
  for (let i = 0; i < iterations; i++) samples.push(await spawnToRunning(api, `${prefix}-${i}`))
  return latencyFigures('spawn', summarise(samples))
}
