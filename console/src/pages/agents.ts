/**
 * Agents: every agent of the tenant with its state, queue depth by priority,
 * running tasks, budget use as bars and heartbeat age; spawn one. Refreshed every 3 s.
 */
import { describeError, fabric } from '../api'
import { age, field, h, select, statusLine, table } from '../dom'
import { every, type Page } from '../page'
import { budgetBars } from './budget-bars'

const PRIORITIES = ['critical', 'high', 'normal', 'low'] as const
const SHOWN = 50

async function agentRow(id: string): Promise<(Node | string)[]> {
  const client = fabric()
  const [info, pending, usage] = await Promise.all([
    client.GET('/v1/agents/{id}', { params: { path: { id } } }),
    client.GET('/v1/agents/{id}/tasks', { params: { path: { id }, query: { status: 'pending' } } }),
    client.GET('/v1/budgets/{entityId}/usage', { params: { path: { entityId: `agent:${id}` } } }),
  ])
  const agent = info.data!
  const byPriority = new Map<string, number>()
  for (const task of pending.data?.tasks ?? []) byPriority.set(task.priority, (byPriority.get(task.priority) ?? 0) + 1)
  return [
    h('a', { href: `#/agents/${encodeURIComponent(id)}` }, id),
    h('span', { class: `state state-${agent.state.toLowerCase()}` }, agent.state),
    h('span', { class: 'queue' }, ...PRIORITIES.map((p) => h('span', { title: p }, `${p[0]!.toUpperCase()}${byPriority.get(p) ?? 0} `))),
    String(agent.queue.running),
    budgetBars(usage.data),
    `${agent.health.status} · ${age(agent.health.lastHeartbeatAt)}`,
  ]
}

export const agentsPage: Page = (main) => {
  const status = statusLine('agents-status')
  const list = h('div', { id: 'agent-list' })
  const id = h('input', { id: 'spawn-id', name: 'spawn-id', required: true, pattern: '[A-Za-z0-9][A-Za-z0-9._-]{0,63}', placeholder: 'researcher-1' })
  const type = select('spawn-type', ['execution', 'research', 'planning'])
  const heartbeat = h('input', { id: 'spawn-heartbeat', name: 'spawn-heartbeat', type: 'number', min: 0, value: 0 })
  const spawn = h(
    'form',
    {
      class: 'inline',
      'aria-label': 'Spawn an agent',
      onsubmit: async (event: Event) => {
        event.preventDefault()
        try {
          const body = { id: id.value, type: type.value as 'execution', heartbeatIntervalSeconds: Number(heartbeat.value) }
          const { data } = await fabric().POST('/v1/agents', { body })
          status.textContent = `Spawned ${data?.id} (${data?.state})`
          await refresh()
        } catch (error) {
          status.textContent = `Spawn failed: ${describeError(error)}`
        }
      },
    },
    field('Agent id', id),
    field('Type', type),
    field('Heartbeat interval (s, 0 = none)', heartbeat),
    h('button', { type: 'submit' }, 'Spawn agent'),
  )
  main.append(h('h2', {}, 'Spawn'), spawn, status, h('h2', {}, 'All agents'), list)

  async function refresh(): Promise<void> {
    try {
      const { data } = await fabric().GET('/v1/agents')
      const agents = (data?.agents ?? []).slice(0, SHOWN)
      const rows = await Promise.all(agents.map((agent) => agentRow(agent.id)))
      list.replaceChildren(
        rows.length === 0
          ? h('p', {}, 'No agents yet: spawn one above.')
          : table(`Agents (${rows.length}${(data?.agents.length ?? 0) > SHOWN ? ` of ${data?.agents.length}` : ''})`, ['Agent', 'State', 'Queue (C/H/N/L pending)', 'Running', 'Budget', 'Health · heartbeat'], rows),
      )
    } catch (error) {
      status.textContent = `Could not list agents: ${describeError(error)}`
    }
  }
  return every(3000, refresh)
}
