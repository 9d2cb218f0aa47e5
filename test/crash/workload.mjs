/**
 * What the crash test asks of the fabric: tier-1 tasks spread over agents,
 * each appending its own marker to a file named after it (the side effect
 * whose count proves exactly-once), and sagas that either complete or must be
 * compensated. Every submission carries an idempotency key, so a submission
 * whose answer was lost in a crash is sent again without creating a second task.
 */
import { mapConcurrent } from '../helpers/processes.mjs'

export function planTasks(runId, agentIds, count) {
  return Array.from({ length: count }, (_, i) => {
    const marker = `${runId}-t${i}`
    return { marker, agentId: agentIds[i % agentIds.length], file: `/${marker}.log` }
  })
}

function taskBody(task) {
  return { command: `echo ${task.marker} >> ${task.file}`, idempotencyKey: task.marker }
}

/**
 * Sagas alternate: even ones complete, odd ones fail at step 3 and must undo steps 2 and 1.
 * `lines` says what each step appends forward and what its compensation appends, so the
 * checker can work out the file a saga must have left, including after a kill cut a step off.
 */
export function planSagas(runId, agentIds, count) {
  return Array.from({ length: count }, (_, i) => {
    const key = `${runId}-s${i}`
    const file = `/${key}.log`
    const append = (text) => `echo ${text} >> ${file}`
    const fails = i % 2 === 1
    return {
      key,
      file,
      agentId: agentIds[i % agentIds.length],
      planned: fails ? 'compensated' : 'completed',
      lines: [{ forward: 's1', undo: 'u1' }, { forward: 's2', undo: 'u2' }, { forward: fails ? undefined : 's3' }],
      body: {
        agentId: agentIds[i % agentIds.length],
        idempotencyKey: key,
        steps: [
          { name: 'one', command: append('s1'), compensate: { command: append('u1') } },
          { name: 'two', command: append('s2'), compensate: { command: append('u2') } },
          { name: 'three', command: fails ? 'false' : append('s3') },
        ],
      },
    }
  })
}

/** Submits every task (retrying across crashes) and records its task id; returns the ids by marker. */
export async function submitTasks(holder, tasks, { concurrency, onAccepted }) {
  const accepted = new Map()
  await mapConcurrent(tasks, concurrency, async (task) => {
    const answer = await holder.retrying('POST', `/v1/agents/${task.agentId}/tasks`, taskBody(task))
    if (answer.status !== 201 && answer.status !== 200) {
      throw new Error(`task ${task.marker} refused with ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`)
    }
    accepted.set(task.marker, answer.body.taskId)
    onAccepted(accepted.size)
  })
  return accepted
}

export async function startSagas(holder, sagas) {
  const ids = new Map()
  for (const saga of sagas) {
    const answer = await holder.retrying('POST', '/v1/sagas', saga.body)
    if (answer.status !== 201 && answer.status !== 200) {
      throw new Error(`saga ${saga.key} refused with ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`)
    }
    ids.set(saga.key, answer.body.saga.sagaId)
  }
  return ids
}
