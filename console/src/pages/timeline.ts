/**
 * Folds an agent's stream events into one row per task: its attempts, the tier
 * each ran on, durations and the last status. Pure (no DOM), so the order of
 * events decides everything.
 */
export interface StreamEvent {
  seq?: number
  type: string
  at?: string
  data: Record<string, unknown>
}

export interface Attempt {
  attempt: number
  startedAt: string
  tier?: number
  durationMs?: number
  outcome?: string
  /** The error code of a failed attempt (a retried attempt's event names no tier, only the code). */
  code?: string
}

export interface TaskLine {
  taskId: string
  type: string
  priority: string
  status: string
  queuedAt: string
  attempts: Attempt[]
  error?: string
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined)

export function foldEvent(tasks: Map<string, TaskLine>, event: StreamEvent): void {
  const taskId = str(event.data.taskId)
  if (!taskId || !event.type.startsWith('task.')) return
  const at = event.at ?? new Date().toISOString()
  const line = tasks.get(taskId) ?? { taskId, type: str(event.data.type) ?? 'task', priority: str(event.data.priority) ?? 'normal', status: 'pending', queuedAt: at, attempts: [] }
  tasks.set(taskId, line)
  const last = line.attempts.at(-1)
  switch (event.type) {
    case 'task.started':
      line.attempts.push({ attempt: num(event.data.attempt) ?? line.attempts.length + 1, startedAt: at })
      line.status = 'running'
      return
    case 'task.completed':
    case 'task.failed':
    case 'task.retrying':
      if (last) {
        last.tier = num(event.data.tier) ?? last.tier
        last.durationMs = num(event.data.durationMs) ?? Date.parse(at) - Date.parse(last.startedAt)
        last.outcome = event.type === 'task.retrying' ? 'retrying' : event.type.slice(5)
        last.code = str(event.data.code) ?? str((event.data.error as Record<string, unknown> | undefined)?.code)
      }
      line.status = event.type === 'task.retrying' ? 'retrying' : str(event.data.status) ?? event.type.slice(5)
      // A task that completes after a failed attempt has no error any more; the attempt keeps its code.
      line.error = event.type === 'task.completed' ? undefined : (last?.code ?? str(event.data.code) ?? line.error)
      return
    default:
      // queued, blocked, awaiting_approval, cancelled, escalated: the status is the event's name.
      line.status = str(event.data.status) && event.type === 'task.queued' ? str(event.data.status)! : event.type.slice(5)
  }
}
