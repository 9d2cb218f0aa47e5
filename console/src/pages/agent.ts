/**
 * One agent: its live event stream (the hibernatable WebSocket, resumed with
 * ?since= after a drop) as a timeline of tasks with attempts, tiers and
 * durations; submit a task; suspend, resume or terminate (with a confirmation).
 */
import { describeError, fabric, streamSocket } from '../api'
import { field, h, ms, select, statusLine } from '../dom'
import type { Page } from '../page'
import { foldEvent, type StreamEvent, type TaskLine } from './timeline'

const MAX_SHOWN = 200
const RECONNECT_MS = 2000

function timelineRow(line: TaskLine): HTMLElement {
  const total = line.attempts.reduce((sum, a) => sum + (a.durationMs ?? 0), 0)
  return h(
    'li',
    { class: `task status-${line.status}`, 'data-task': line.taskId },
    h('span', { class: 'task-id', title: line.taskId }, line.taskId.slice(-8)),
    h('span', { class: 'badge' }, line.status),
    h('span', {}, `${line.type} · ${line.priority}`),
    h(
      'ol',
      { class: 'attempts', 'aria-label': `Attempts of ${line.taskId.slice(-8)}` },
      ...line.attempts.map((a) =>
        h(
          'li',
          { class: `attempt ${a.outcome ?? 'running'}`, style: `flex-grow:${Math.max(1, Math.round(((a.durationMs ?? 0) / Math.max(total, 1)) * 100))}` },
          `#${a.attempt} ${a.tier ? `tier ${a.tier}` : 'tier —'} ${ms(a.durationMs)} ${a.outcome ?? 'running'}${a.code ? ` ${a.code}` : ''}`,
        ),
      ),
    ),
    line.error ? h('span', { class: 'error' }, line.error) : null,
  )
}

export const agentPage: Page = (main, { id }) => {
  const status = statusLine('agent-status')
  const summary = h('p', { id: 'agent-summary' }, 'Loading…')
  const streamState = h('p', { id: 'stream-state', class: 'muted' }, 'Stream: connecting…')
  const timeline = h('ol', { id: 'timeline', class: 'timeline', 'aria-live': 'polite', 'aria-label': 'Tasks, newest first' })
  const tasks = new Map<string, TaskLine>()
  let lastSeq = 0
  let socket: WebSocket | undefined
  let closed = false
  let reconnect: ReturnType<typeof setTimeout> | undefined

  const draw = () => timeline.replaceChildren(...[...tasks.values()].reverse().slice(0, MAX_SHOWN).map(timelineRow))

  async function describe(): Promise<void> {
    try {
      const { data } = await fabric().GET('/v1/agents/{id}', { params: { path: { id } } })
      if (data) summary.textContent = `${data.state} (${data.stateReason}) · queue ${data.queue.depth} · running ${data.queue.running} · session ${data.sessionId}`
    } catch (error) {
      summary.textContent = describeError(error)
    }
  }

  function connect(): void {
    socket = streamSocket(id, lastSeq)
    socket.onopen = () => (streamState.textContent = 'Stream: live')
    socket.onmessage = (message) => {
      const event = JSON.parse(String(message.data)) as StreamEvent
      if (typeof event.seq === 'number') lastSeq = event.seq
      if (event.type === 'stream.ready') streamState.textContent = `Stream: live (seq ${lastSeq})`
      if (event.type.startsWith('agent.state')) void describe()
      foldEvent(tasks, event)
      draw()
    }
    socket.onclose = () => {
      if (closed) return
      streamState.textContent = 'Stream: reconnecting…'
      reconnect = setTimeout(connect, RECONNECT_MS)
    }
  }

  const command = h('input', { id: 'task-command', name: 'task-command', required: true, placeholder: 'echo hello | wc -c', size: 40 })
  const priority = select('task-priority', ['normal', 'critical', 'high', 'low'])
  const tier = select('task-tier', ['', '1', '2', '3', '4'])
  const submit = h(
    'form',
    {
      class: 'inline',
      'aria-label': 'Submit a task',
      onsubmit: async (event: Event) => {
        event.preventDefault()
        try {
          const body = { command: command.value, priority: priority.value as 'normal', ...(tier.value ? { tier: Number(tier.value) as 1 } : {}) }
          const { data } = await fabric().POST('/v1/agents/{id}/tasks', { params: { path: { id } }, body })
          // One task in, one task out: the batch form ({ results }) answers only an array body.
          if (data && 'taskId' in data) status.textContent = `Submitted ${data.taskId.slice(-8)} (${data.status})`
        } catch (error) {
          status.textContent = `Submit failed: ${describeError(error)}`
        }
      },
    },
    field('Command', command),
    field('Priority', priority),
    field('Tier (blank = routed)', tier),
    h('button', { type: 'submit' }, 'Submit task'),
  )

  const lifecycle = async (action: 'suspend' | 'resume' | 'terminate') => {
    try {
      if (action === 'terminate') {
        if (!confirm(`Terminate agent ${id}? Its queued tasks are cancelled.`)) return
        await fabric().DELETE('/v1/agents/{id}', { params: { path: { id } } })
      } else {
        await fabric().POST(action === 'suspend' ? '/v1/agents/{id}/suspend' : '/v1/agents/{id}/resume', { params: { path: { id } } })
      }
      status.textContent = `${action} done`
      await describe()
    } catch (error) {
      status.textContent = `${action} failed: ${describeError(error)}`
    }
  }

  main.append(
    summary,
    h(
      'div',
      { class: 'actions', role: 'group', 'aria-label': 'Lifecycle' },
      h('button', { type: 'button', onclick: () => lifecycle('suspend') }, 'Suspend'),
      h('button', { type: 'button', onclick: () => lifecycle('resume') }, 'Resume'),
      h('button', { type: 'button', class: 'danger', onclick: () => lifecycle('terminate') }, 'Terminate'),
    ),
    h('h2', {}, 'Submit a task'),
    submit,
    status,
    h('h2', {}, 'Live timeline'),
    streamState,
    timeline,
  )
  void describe()
  connect()
  return () => {
    closed = true
    clearTimeout(reconnect)
    socket?.close()
  }
}
