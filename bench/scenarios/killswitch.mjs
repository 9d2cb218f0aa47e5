/**
 * Kill switch under load: 10 agents take a stream of tier-1 submissions from
 * 8 clients while the tenant switch is thrown and lifted 20 times. Each throw
 * answers only after every live agent in scope was told (the push), so its
 * round trip is the propagation time. After each throw, every task is checked:
 * none may have a `startedAt` later than the moment the throw answered
 * (fabric and client share this machine's clock).
 */
import { summarise } from '../lib/measure.mjs'
import { epochMs, runPrefix, spawnAgents } from '../lib/tasks.mjs'

export const name = 'killswitch'

const THROWS = 20
const CLIENTS = 8

export async function run({ api, fabric }) {
  const agents = await spawnAgents(api, runPrefix('kill'), 10)
  const accepted = []
  let stop = false
  const load = Array.from({ length: CLIENTS }, async (_, c) => {
    for (let i = 0; !stop; i++) {
      const response = await fetch(`${fabric.url}/v1/agents/${agents[(c + i) % agents.length]}/tasks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fabric.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ command: `echo ${i}` }),
      })
      if (response.status === 201) accepted.push((await response.json()).taskId)
      else await response.body?.cancel()
    }
  })
  const propagation = []
  /** Each throw's window: from its answer to the moment its lift was sent. */
  const windows = []
  let startedAfter = 0
  try {
    for (let n = 0; n < THROWS; n++) {
      await new Promise((resolve) => setTimeout(resolve, 150))
      const begin = performance.now()
      const thrown = await api('POST', '/v1/killswitch', { scope: 'tenant', reason: `bench throw ${n}` })
      propagation.push(performance.now() - begin)
      const answeredAt = Date.now()
      if (thrown.agents.failed.length > 0) throw new Error(`the switch reached not every agent: ${JSON.stringify(thrown.agents.failed[0])}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
      windows.push([answeredAt, Date.now()])
      await api('POST', '/v1/killswitch', { scope: 'tenant', active: false, reason: 'bench lift' })
    }
  } finally {
    stop = true
    await Promise.all(load)
  }
  // A task that started inside a throw's window broke the guarantee.
  for (const taskId of accepted) {
    const task = await api('GET', `/v1/tasks/${encodeURIComponent(taskId)}`)
    if (!task.startedAt) continue
    const started = epochMs(task.startedAt)
    if (windows.some(([answered, lifted]) => started > answered && started < lifted)) startedAfter++
  }
  const stats = summarise(propagation)
  return {
    killswitch_throws: THROWS,
    killswitch_propagation_p50_ms: stats.p50,
    killswitch_propagation_p99_ms: stats.p99,
    killswitch_tasks_accepted: accepted.length,
    killswitch_tasks_started_after_response: startedAfter,
  }
}
