/**
 * A one-step Workflow that runs a command line through the fabric's own
 * execution code (the same shell interpreter and tier-1 executors a fabric
 * task uses, over an in-memory fsx), and a tiny HTTP front to start an
 * instance and read its status. The work is identical to the fabric task's;
 * only the orchestration around it differs.
 */
import { WorkerEntrypoint, WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from 'cloudflare:workers'
import type { Env as FabricEnv } from '../../../src/env'
import { runExec } from '../../../src/agent/exec-service'
import { createExecutionContext } from '../../../src/core/context'
import { traceFrom } from '../../../src/core/trace'

interface Env {
  ONE_STEP: Workflow<StepParams>
}

interface StepParams {
  command: string
}

export class OneStepWorkflow extends WorkflowEntrypoint<Env, StepParams> {
  override async run(event: WorkflowEvent<StepParams>, step: WorkflowStep): Promise<{ exitCode: number; stdout: string }> {
    return step.do('exec', async () => {
      const ctx = createExecutionContext({ tenantId: 'bench', principal: 'bench', trace: traceFrom(undefined) })
      // Tier 1 needs no bindings; the fabric's Env type is satisfied only nominally here.
      const result = await runExec(ctx, { command: event.payload.command, backend: 'memory' }, {} as FabricEnv)
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
