/**
 * A one-step Workflow that runs a command line through the fabric's own
 * execution code (the same shell interpreter and tier-1 executor a fabric
 * task uses, over a scratch in-memory fsx), and a tiny HTTP front to start an
 * instance and read its status. The work is identical to the fabric task's;
 * only the orchestration around it differs. Governance (kill switch, policy)
 * is part of that orchestration and needs the fabric's D1, which this Worker
 * does not have, so the step calls the execution layer directly.
 */
import { WorkerEntrypoint, WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from 'cloudflare:workers'
import type { Env as FabricEnv } from '../../../src/env'
import { createExecute } from '../../../src/execution/index'
import { runCommand } from '../../../src/execution/command'
import { createScratchFileSystem, tenantRoot } from '../../../src/execution/fsx/index'
import { nativeExecutor } from '../../../src/execution/native/index'
import { unavailableTier } from '../../../src/execution/tier-table'
import type { MetricsBindings } from '../../../src/telemetry/metrics/recorder'

export { MetricsDO } from '../../../src/telemetry/metrics/metrics-do'

const TIER_1_ONLY = { 1: nativeExecutor, 2: unavailableTier(2), 3: unavailableTier(3), 4: unavailableTier(4) }

interface Env extends MetricsBindings {
  ONE_STEP: Workflow<StepParams>
}

interface StepParams {
  command: string
}

export class OneStepWorkflow extends WorkflowEntrypoint<Env, StepParams> {
  override async run(event: WorkflowEvent<StepParams>, step: WorkflowStep): Promise<{ exitCode: number; stdout: string }> {
    return step.do('exec', async () => {
      const fs = createScratchFileSystem(tenantRoot('bench'))
      // Tier 1 reads no bindings and the router only METRICS; the fabric's other bindings are not here.
      const execute = createExecute({ bindings: { METRICS: this.env.METRICS } as FabricEnv, fs, tenantId: 'bench', tiers: TIER_1_ONLY })
      const result = await runCommand(event.payload.command, { execute, fs, options: {} })
      return { exitCode: result.exitCode, stdout: result.stdout }
    })
  }
}

export default class BenchFront extends WorkerEntrypoint<Env> {
  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url)
    if (request.method === 'GET' && url.pathname === '/health') return Response.json({ ok: true })
    if (request.method === 'POST' && url.pathname === '/instances') {
      const { command } = (await request.json()) as StepParams
      const instance = await this.env.ONE_STEP.create({ params: { command } })
      return Response.json({ id: instance.id })
    }
    const match = /^\/instances\/([^/]+)$/.exec(url.pathname)
    if (request.method === 'GET' && match) {
      const instance = await this.env.ONE_STEP.get(decodeURIComponent(match[1] as string))
      return Response.json(await instance.status())
    }
    return Response.json({ error: { code: 'NOT_FOUND', message: 'use POST /instances or GET /instances/:id' } }, { status: 404 })
  }
}
