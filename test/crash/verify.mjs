/**
 * After the last restart: every accepted task must end exactly once, its side
 * effect must have happened exactly once (at most once for a task that failed),
 * each idempotency key must have made exactly one task, the WAL must have no
 * gap or duplicate in any execution's sequence and exactly one terminal event
 * per task, and every saga must have completed or been compensated with its
 * file showing each step (and each undo) once.
 */
import { TERMINAL } from '../../bench/lib/tasks.mjs'
import { mapConcurrent } from '../helpers/processes.mjs'

const TERMINAL_EVENTS = new Set(['task.completed', 'task.failed', 'task.cancelled'])
const SAGA_TERMINAL = new Set(['completed', 'compensated', 'failed'])

async function ok(holder, method, path) {
  const answer = await holder.retrying(method, path)
  if (answer.status !== 200) throw new Error(`${method} ${path} → ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`)
  return answer.body
}

/** Long-polls every task until it is terminal or `deadline` passes; returns the last view of each. */
export async function awaitTasks(holder, taskIds, deadline) {
  const views = new Map()
  await mapConcurrent([...taskIds], 32, async ([marker, taskId]) => {
    let view
    do view = await ok(holder, 'GET', `/v1/tasks/${taskId}?wait=20`)
    while (!TERMINAL.has(view.status) && Date.now() < deadline)
    views.set(marker, view)
  })
  return views
}

export async function awaitSagas(holder, sagaIds, deadline) {
  const views = new Map()
  for (const [key, sagaId] of sagaIds) {
    let view
    do view = await ok(holder, 'GET', `/v1/sagas/${sagaId}?waitSeconds=20`)
    while (!SAGA_TERMINAL.has(view.status) && Date.now() < deadline)
    views.set(key, view)
  }
  return views
}

async function readWal(holder) {
  const events = []
  let after = 0
  for (;;) {
    const page = await ok(holder, 'GET', `/v1/wal?limit=1000&after=${after}`)
    events.push(...page.events)
    if (page.nextCursor === undefined) return events
    after = page.nextCursor
  }
}

/** The WAL reaches D1 after the tasks end (group commit); waits until every task's terminal event is there. */
export async function awaitWal(holder, executionIds, deadline) {
  for (;;) {
    const events = await readWal(holder)
    const terminal = new Set(events.filter((e) => TERMINAL_EVENTS.has(e.type)).map((e) => e.executionId))
    if ([...executionIds].every((id) => terminal.has(id)) || Date.now() > deadline) return events
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
}

async function readFile(holder, path) {
  const answer = await holder.retrying('GET', `/v1/fs${path}`)
  if (answer.status === 404) return ''
  if (answer.status !== 200) throw new Error(`GET /v1/fs${path} → ${answer.status}`)
  return answer.body
}

function count(text, line) {
  return text.split('\n').filter((l) => l === line).length
}

export async function checkTasks(holder, tasks, taskIds, views, problems) {
  const statuses = {}
  await mapConcurrent(tasks, 16, async (task) => {
    const taskId = taskIds.get(task.marker)
    const view = views.get(task.marker)
    if (!taskId || !view) return problems.push(`lost: task ${task.marker} was never accepted or never found`)
    const outcome = view.status === 'failed' ? `failed:${view.error?.code ?? view.result?.error?.code ?? 'unknown'}` : view.status
    statuses[outcome] = (statuses[outcome] ?? 0) + 1
    if (!TERMINAL.has(view.status)) problems.push(`lost: task ${task.marker} (${taskId}) is still ${view.status}`)
    const runs = count(await readFile(holder, task.file), task.marker)
    if (view.status === 'completed' && runs !== 1) problems.push(`side effect of completed task ${task.marker} happened ${runs} times`)
    if (view.status !== 'completed' && runs > 1) problems.push(`side effect of ${view.status} task ${task.marker} happened ${runs} times`)
  })
  return statuses
}

/** Each idempotency key made one task: no agent lists two tasks for one marker. */
export async function checkNoDuplicateTasks(holder, agentIds, tasks, problems) {
  const planned = new Set(tasks.map((t) => t.marker))
  const seen = new Map()
  for (const agentId of agentIds) {
    const { tasks: listed } = await ok(holder, 'GET', `/v1/agents/${agentId}/tasks?limit=500`)
    for (const task of listed) {
      if (!planned.has(task.idempotencyKey)) continue
      seen.set(task.idempotencyKey, (seen.get(task.idempotencyKey) ?? 0) + 1)
    }
  }
  for (const [marker, n] of seen) if (n > 1) problems.push(`duplicated: ${n} tasks for idempotency key ${marker}`)
}

export function checkWal(events, views, problems) {
  const byExecution = new Map()
  for (const event of events) {
    const list = byExecution.get(event.executionId) ?? []
    list.push(event)
    byExecution.set(event.executionId, list)
  }
  for (const [executionId, list] of byExecution) {
    const seqs = list.map((e) => e.seq).sort((a, b) => a - b)
    if (new Set(seqs).size !== seqs.length) problems.push(`WAL duplicate: execution ${executionId} repeats a seq (${seqs.join(',')})`)
    if (seqs.some((seq, i) => seq !== i + 1)) problems.push(`WAL gap: execution ${executionId} has seqs ${seqs.join(',')}`)
  }
  for (const [marker, view] of views) {
    if (!TERMINAL.has(view.status)) continue
    const terminal = (byExecution.get(view.executionId) ?? []).filter((e) => TERMINAL_EVENTS.has(e.type))
    if (terminal.length !== 1) problems.push(`WAL: task ${marker} (${view.executionId}) has ${terminal.length} terminal events`)
    else if (terminal[0].type !== `task.${view.status}`) problems.push(`WAL: task ${marker} ended ${view.status} but the WAL says ${terminal[0].type}`)
  }
  return byExecution.size
}

/**
 * Failure codes of an attempt a kill cut off while its command ran: the command may or may not
 * have taken effect (src/orchestration/saga/saga-plan.ts compensates such a forward step).
 */
const OUTCOME_UNKNOWN = new Set(['INTERRUPTED', 'AGENT_UNHEALTHY', 'TIMEOUT'])

/** 'done', 'maybe' (cut off while it ran) or 'not' for a step's task; 'not' when none was dispatched. */
async function stepOutcome(holder, taskId) {
  if (!taskId) return 'not'
  const task = await ok(holder, 'GET', `/v1/tasks/${taskId}`)
  if (task.status === 'completed') return 'done'
  const code = task.error?.code ?? task.result?.error?.code
  return task.status === 'failed' && OUTCOME_UNKNOWN.has(code) ? 'maybe' : 'not'
}

/** Every file content that may follow from these appends: a 'maybe' line may be there or not. */
function possibleContents(appends) {
  let contents = ['']
  for (const { line, outcome } of appends) {
    if (outcome === 'not' || line === undefined) continue
    const withLine = contents.map((c) => `${c}${line}\n`)
    contents = outcome === 'done' ? withLine : [...contents, ...withLine]
  }
  return new Set(contents)
}

/**
 * Each saga ends as planned, or — when a kill cut one of its steps off mid-run — as the saga's
 * rules then require: a forward step with an unknown outcome is compensated (the saga ends
 * `compensated`), a compensation with one fails the saga (`failed`, to be compensated by hand).
 * Its file holds each step that ran and each undo, once and in order; a cut-off step's line may
 * be missing (it was killed before its write), never doubled.
 */
export async function checkSagas(holder, sagas, views, problems) {
  const statuses = {}
  for (const saga of sagas) {
    const view = views.get(saga.key)
    if (!view) {
      problems.push(`lost: saga ${saga.key} was never found`)
      continue
    }
    statuses[view.status] = (statuses[view.status] ?? 0) + 1
    const forward = await Promise.all(view.steps.map(async (step) => ({ line: saga.lines[step.index]?.forward, outcome: await stepOutcome(holder, step.taskId) })))
    const undo = await Promise.all(view.steps.map(async (step) => ({ line: saga.lines[step.index]?.undo, outcome: await stepOutcome(holder, step.compensationTaskId) })))
    const allowed = new Set([saga.planned])
    if (forward.some((s) => s.outcome === 'maybe')) allowed.add('compensated')
    if (undo.some((s) => s.outcome === 'maybe')) allowed.add('failed')
    if (!allowed.has(view.status)) problems.push(`saga ${saga.key} ended ${view.status}, expected ${[...allowed].join(' or ')}`)
    const contents = possibleContents([...forward, ...undo.reverse()])
    const content = await readFile(holder, saga.file)
    if (!contents.has(content)) problems.push(`saga ${saga.key} file is ${JSON.stringify(content)}, expected ${[...contents].map((c) => JSON.stringify(c)).join(' or ')}`)
    if (allowed.size > 1) statuses[`${view.status} after a step was cut off`] = (statuses[`${view.status} after a step was cut off`] ?? 0) + 1
  }
  return statuses
}
