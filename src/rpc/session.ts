/**
 * An authenticated RPC session for one tenant. Inputs are parsed with the
 * same zod schemas as HTTP. Workers RPC carries only an Error's message across
 * the binding, so failures are rethrown as `Error("<CODE>: <message>")`.
 */
import { redact } from '../telemetry/redact'
import { RpcTarget } from 'cloudflare:workers'
import { z } from 'zod'
import type { DirEntry, ExecResult } from '../../types/execution'
import type { AuthContext, Scope } from '../api/app-env'
import { assertScope } from '../api/auth/scopes'
import { takeRequestToken } from '../api/rate-limit/take'
import { codeForIssues } from '../core/limits'
import { publicResult } from '../api/public-result'
import { ExecRequestSchema, FsBackendSchema } from '../core/exec-request'
import type { Env } from '../env'
import { FabricError } from '../../types/errors'
import { callerFileSystem } from '../governance/fs-policy'
import { KillSwitchStore } from '../governance/kill-switch'
import { tenantFileSystem } from '../agent/exec-service'
import { execOnAgent, type KeepRunning } from '../agent/exec-on-agent'
import { traceFrom } from '../core/trace'
import { withCodedErrors } from './errors'
import { AgentIdSchema } from '../agent/config'
import { agentStub } from '../agent/router'
import { unwrap } from '../agent/rpc-result'
import { batchItemView, type BatchItemView } from '../api/schemas/agents'
import { planExec, type RoutePlan } from '../execution/route-plan/index'

const FileOptionsSchema = z.object({ backend: FsBackendSchema.optional() }).strict().optional()
const RemoveOptionsSchema = z.object({ backend: FsBackendSchema.optional(), recursive: z.boolean().optional() }).strict().optional()
const PathSchema = z.string()
const DataSchema = z.union([z.string(), z.instanceof(Uint8Array)])

function parse<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || what}: ${i.message}`).join('; ')
    throw new FabricError(codeForIssues(parsed.error.issues), `invalid ${what}: ${issues}`)
  }
  return parsed.data
}

export class FabricSession extends RpcTarget {
  constructor(
    private readonly env: Env,
    private readonly auth: AuthContext,
    /** The entrypoint's `ctx.waitUntil`: a shared exec call outlives the caller that sent it (src/agent/exec-on-agent.ts). */
    private readonly keepRunning: KeepRunning,
  ) {
    super()
  }

  get tenantId(): string {
    return this.auth.tenantId
  }

  /** Runs `{command}` or `{operation, args}` as a task on the caller's agent (see POST /v1/exec); optional W3C traceparent continues the caller's trace. */
  exec(request: unknown, traceparent?: string): Promise<ExecResult> {
    return withCodedErrors(async () => {
      await this.admit('agent')
      const parsed = parse(ExecRequestSchema, request, 'exec request')
      const caller = { tenantId: this.auth.tenantId, principal: this.auth.tokenId, traceparent: traceFrom(traceparent).traceparent }
      // Redacted like every HTTP answer (src/api/middleware/redact-response.ts).
      return redact(publicResult(await execOnAgent(this.env, caller, parsed, this.keepRunning)))
    })
  }

  /** Up to 1,000 tasks to one of the caller's agents, each admitted as if alone; one result per task (as POST /v1/agents/:id/tasks with an array). */
  submitTasks(agentId: string, tasks: unknown, traceparent?: string): Promise<BatchItemView[]> {
    return withCodedErrors(async () => {
      await this.admit('agent')
      const caller = { tenantId: this.auth.tenantId, principal: this.auth.tokenId, traceparent: traceFrom(traceparent).traceparent }
      const agent = agentStub(this.env, this.auth.tenantId, parse(AgentIdSchema, agentId, 'agentId'))
      return unwrap(await agent.submitTasks(caller, tasks)).map(batchItemView)
    })
  }

  /** How `request` would be routed, why, and its estimated cost per tier (see POST /v1/exec/plan); nothing runs. */
  plan(request: unknown): Promise<RoutePlan> {
    return withCodedErrors(async () => {
      await this.admit('agent')
      return planExec(this.env, this.auth.tenantId, parse(ExecRequestSchema, request, 'exec request'))
    })
  }

  readFile(path: string, options?: unknown): Promise<Uint8Array> {
    return withCodedErrors(async () => (await this.fsFor('read', options)).read(parse(PathSchema, path, 'path')))
  }

  readTextFile(path: string, options?: unknown): Promise<string> {
    return withCodedErrors(async () => (await this.fsFor('read', options)).readText(parse(PathSchema, path, 'path')))
  }

  writeFile(path: string, data: string | Uint8Array, options?: unknown): Promise<void> {
    return withCodedErrors(async () =>
      (await this.fsFor('agent', options)).write(parse(PathSchema, path, 'path'), parse(DataSchema, data, 'data'), { parents: true }),
    )
  }

  listDir(path: string, options?: unknown): Promise<DirEntry[]> {
    return withCodedErrors(async () => (await this.fsFor('read', options)).readdir(parse(PathSchema, path, 'path')))
  }

  remove(path: string, options?: unknown): Promise<void> {
    return withCodedErrors(async () => {
      const { recursive, ...rest } = parse(RemoveOptionsSchema, options, 'options') ?? {}
      await (await this.fsFor('agent', rest)).rm(parse(PathSchema, path, 'path'), { recursive: recursive === true })
    })
  }

  /** Every call is checked like its HTTP route: the scope, then the tenant's rate limit. */
  private async admit(scope: Scope): Promise<void> {
    assertScope(this.auth, scope)
    await takeRequestToken(this.env, this.auth.tenantId)
  }

  /** As the HTTP file routes: a write (scope agent) is refused under a tenant or global kill switch. */
  private async fsFor(scope: Scope, options: unknown) {
    await this.admit(scope)
    if (scope === 'agent') await new KillSwitchStore(this.env.DB).assertNotKilled(this.auth.tenantId)
    const parsed = parse(FileOptionsSchema, options, 'options')
    return callerFileSystem(tenantFileSystem(this.env, this.auth.tenantId, parsed?.backend), this.env, this.auth)
  }
}
