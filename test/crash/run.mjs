#!/usr/bin/env node
/**
 * `npm run test:crash`: crash without loss.
 *
 * Starts the fabric over a fresh persisted state directory, spawns agents,
 * submits tier-1 tasks (each appending its marker to its own file) and sagas,
 * and SIGKILLs workerd several times while tasks are being submitted and run —
 * restarting the fabric on the same state each time. Then it verifies that
 * every accepted task ended exactly once, its side effect happened once, no
 * idempotency key made two tasks, the WAL has no gap or duplicate, and every
 * saga completed or was compensated. Exits 1 on any violation.
 *
 * Size: CRASH_AGENTS (20), CRASH_TASKS (1000), CRASH_SAGAS (10), CRASH_KILLS (3).
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { createBenchTenant } from '../../bench/lib/tenant.mjs'
import { FabricHolder } from './fabric-holder.mjs'
import { applyMigrations, startFabric } from './fabric-process.mjs'
import { awaitSagas, awaitTasks, awaitWal, checkNoDuplicateTasks, checkSagas, checkTasks, checkWal } from './verify.mjs'
import { planSagas, planTasks, startSagas, submitTasks } from './workload.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const count = (fallback) => z.coerce.number().int().min(0).default(fallback)
const config = z
  .object({ CRASH_AGENTS: count(20).pipe(z.number().min(1)), CRASH_TASKS: count(1000), CRASH_SAGAS: count(10), CRASH_KILLS: count(3) })
  .transform((e) => ({ agents: e.CRASH_AGENTS, tasks: e.CRASH_TASKS, sagas: e.CRASH_SAGAS, kills: e.CRASH_KILLS }))
  // The check reads each agent's task list, which holds at most 500 tasks.
  .refine((c) => c.tasks / c.agents <= 500, 'at most 500 tasks per agent: raise CRASH_AGENTS')
  .parse(process.env)

const started = performance.now()
const say = (message) => console.log(`[crash ${((performance.now() - started) / 1000).toFixed(1)}s] ${message}`)
const stateDir = mkdtempSync(join(tmpdir(), 'edge-fabric-crash-'))
const logFile = join(stateDir, 'fabric.log')
const fabricLog = (chunk) => writeFileSync(logFile, chunk, { flag: 'a' })

if (!existsSync(join(root, '.dev.vars'))) copyFileSync(join(root, '.dev.vars.example'), join(root, '.dev.vars'))
applyMigrations(stateDir)

const holder = new FabricHolder()
let fabric = await startFabric(stateDir, fabricLog)
const tenant = await createBenchTenant(fabric)
holder.set({ url: fabric.url, token: tenant.token })
say(`fabric up at ${fabric.url}; tenant ${tenant.tenantId}; state in ${stateDir}`)

const runId = `c${Date.now().toString(36)}`
const agentIds = Array.from({ length: config.agents }, (_, i) => `${runId}-a${i}`)
for (const id of agentIds) {
  const answer = await holder.retrying('POST', '/v1/agents', { id, heartbeatIntervalSeconds: 0, maxQueueDepth: 10_000 })
  if (answer.status !== 201 && answer.status !== 200) throw new Error(`spawning ${id} → ${answer.status}: ${JSON.stringify(answer.body)}`)
}
const tasks = planTasks(runId, agentIds, config.tasks)
const sagas = planSagas(runId, agentIds, config.sagas)
say(`${config.agents} agents spawned; submitting ${config.tasks} tasks and ${config.sagas} sagas, ${config.kills} kills`)

/**
 * Crashes 1 … K-1 happen while tasks are being submitted (after k/K of them are
 * accepted); the last one happens after all are in, while the queues drain.
 */
const submitCrashPoints = Array.from({ length: Math.max(0, config.kills - 1) }, (_, k) => Math.floor(((k + 1) / config.kills) * config.tasks))
const crashes = []
let crashing = Promise.resolve()

async function crashAndRestart(reason) {
  holder.clear()
  const killed = fabric.crash()
  await fabric.exited
  crashes.push({ reason, killed })
  say(`SIGKILL workerd ${killed.join(',')} (${reason}); restarting on the same state`)
  fabric = await startFabric(stateDir, fabricLog)
  holder.set({ url: fabric.url, token: tenant.token })
  say(`fabric back at ${fabric.url}`)
}

function onAccepted(n) {
  while (submitCrashPoints.length > 0 && n >= submitCrashPoints[0]) {
    submitCrashPoints.shift()
    crashing = crashing.then(() => crashAndRestart(`after ${n} tasks accepted`))
  }
}

const problems = []
let exitCode = 1
try {
  const sagaIdsPromise = startSagas(holder, sagas)
  const taskIds = await submitTasks(holder, tasks, { concurrency: 40, onAccepted })
  const sagaIds = await sagaIdsPromise
  await crashing
  say(`all ${taskIds.size} tasks and ${sagaIds.size} sagas accepted`)
  if (config.kills > 0) {
    await new Promise((resolve) => setTimeout(resolve, 1500))
    await crashAndRestart('while the queues drain')
  }

  const deadline = Date.now() + 600_000
  const views = await awaitTasks(holder, taskIds, deadline)
  const sagaViews = await awaitSagas(holder, sagaIds, deadline)
  say('every task and saga answered; reading side effects and the WAL')
  const executionIds = new Set([...views.values()].filter((v) => v.executionId).map((v) => v.executionId))
  const events = await awaitWal(holder, executionIds, Date.now() + 120_000)

  const taskStatuses = await checkTasks(holder, tasks, taskIds, views, problems)
  await checkNoDuplicateTasks(holder, agentIds, tasks, problems)
  const executions = checkWal(events, views, problems)
  const sagaStatuses = await checkSagas(holder, sagas, sagaViews, problems)
  console.log(
    JSON.stringify(
      { config, crashes: crashes.length, taskStatuses, sagaStatuses, walEvents: events.length, executions, problems: problems.length, seconds: (performance.now() - started) / 1000 },
      null,
      2,
    ),
  )
  if (crashes.length < config.kills) problems.push(`only ${crashes.length} of ${config.kills} crashes happened`)
  exitCode = problems.length === 0 ? 0 : 1
} catch (error) {
  problems.push(`the run stopped: ${error.stack ?? error}`)
} finally {
  fabric.stop()
}
for (const problem of problems.slice(0, 50)) console.error(`✗ ${problem}`)
if (problems.length > 50) console.error(`… and ${problems.length - 50} more`)
if (exitCode === 0) {
  say('no loss: every accepted task ended once, side effects once, WAL gap-free, sagas settled')
  rmSync(stateDir, { recursive: true, force: true })
} else console.error(`crash test FAILED; the fabric's log and state are in ${stateDir}`)
process.exit(exitCode)
