/**
 * Tier 3: an operation named after one of the tenant's uploaded modules runs
 * that module in an isolate from the Worker Loader (see module-runner.ts).
 *
 * The module's value comes back as `ExecResult.value` (and as stdout: a
 * string as is, anything else as a JSON line), with the lines it logged in
 * `logs`. A module that throws is MODULE_ERROR with its message, and its
 * stack on stderr; a value that is not JSON data is MODULE_ERROR too. Nothing
 * here throws.
 */
import { z } from 'zod'
import type { ESMModule, ExecResult } from '../../../types/execution'
import { CANCELLED_STATUS, identityOf, invalidArgs, stdinText, TIMEOUT_STATUS } from '../call-input'
import type { ExecCall, TierExecutor } from '../executor'
import { DeadlineReached } from '../native/deadline'
import { NATIVE_OPERATIONS } from '../native/index'
import { failure, failureFromThrown, type ResultIdentity } from '../result'
import { RPC_OPERATIONS } from '../rpc/index'
import { ModuleNameSchema } from './module-schema'
import { callModule, wallMs, type ModuleIsolates } from './module-runner'
import { moduleHost } from './module-host'
import type { ModuleOutcome, RunRequest } from './module-outcome'
import { findModule, ModuleCodeMissing } from './module-store'
import { ceilingBytes } from './memory-meter'

/** ESM modules take any JSON arguments; a WASM export takes numbers (i32, f32, f64). */
const EsmArgsSchema = z.array(z.json())
const WasmArgsSchema = z.array(z.number({ error: 'a WASM module takes numbers only' }))

/** Whether `name` can be a module of this tenant at all (native and tier-2 names are reserved). */
export function isModuleName(name: string): boolean {
  return ModuleNameSchema.safeParse(name).success && !NATIVE_OPERATIONS.has(name) && !RPC_OPERATIONS.has(name)
}

export const esmExecutor: TierExecutor = {
  tier: 3,
  async handles(operation, bindings, tenantId) {
    if (tenantId === undefined || !isModuleName(operation)) return false
    return (await findModule(bindings, tenantId, operation)) !== null
  },
  isAvailable: async (bindings) => moduleIsolates(bindings) !== undefined,
  run: runModule,
}

function runRequest(call: ExecCall, args: unknown[]): RunRequest {
  return {
    args,
    stdin: stdinText(call.options.stdin),
    tenantId: call.options.tenantId,
    ...(call.options.agentId !== undefined ? { agentId: call.options.agentId } : {}),
    executionId: call.options.executionId,
    traceparent: call.options.traceparent,
  }
}

function outcomeResult(identity: ResultIdentity, module: ESMModule, outcome: ModuleOutcome, startedAt: number): ExecResult {
  if (outcome.status === 'returned') {
    const value: unknown = outcome.json === undefined ? undefined : JSON.parse(outcome.json)
    return {
      ...identity,
      ok: true,
      exitCode: 0,
      stdout: typeof value === 'string' ? value : outcome.json === undefined ? '' : `${outcome.json}\n`,
      stderr: '',
      ...(value !== undefined ? { value } : {}),
      logs: outcome.logs,
      duration: performance.now() - startedAt,
    }
  }
  const { name, message, stack } = outcome.error
  if (outcome.status === 'over_ceiling') {
    const limit = ceilingBytes(module.limits)
    return failure(identity, 'RESOURCE_EXHAUSTED', `module '${module.name}' went over its memory ceiling of ${limit} bytes: ${message}`, startedAt, {
      logs: outcome.logs,
      stderr: `${stack || `${name}: ${message}`}\n`,
      details: { ceiling: 'memoryMb', limit, name, message },
    })
  }
  const summary =
    outcome.status === 'threw' ? `module '${module.name}' threw ${name}: ${message}` : `module '${module.name}': ${message}`
  return failure(identity, 'MODULE_ERROR', summary, startedAt, {
    logs: outcome.logs,
    stderr: `${stack || `${name}: ${message}`}\n`,
    details: { name, message, ...(stack ? { stack } : {}) },
  })
}

async function runModule(call: ExecCall): Promise<ExecResult> {
  const startedAt = performance.now()
  const identity = identityOf(call, 3)
  try {
    const module = isModuleName(call.operation) ? await findModule(call.bindings, call.options.tenantId, call.operation) : null
    if (!module) {
      return failure(identity, 'MODULE_NOT_FOUND', `no module '${call.operation}' in this tenant; upload it with POST /v1/modules (GET /v1/modules lists them)`, startedAt, { exitCode: 127 })
    }
    return await runFound(call, module, identity, startedAt)
  } catch (thrown) {
    // D1 or R2 failing, or the code missing from R2: the fabric's fault, not the module's.
    return failureFromThrown(identity, thrown, startedAt)
  }
}

/** The module host when tier 3 runs out of process (local dev), else this workerd's LOADER; undefined when neither is bound. */
function moduleIsolates(bindings: ExecCall['bindings']): ModuleIsolates | undefined {
  const host = moduleHost(bindings)
  if (host) return { host }
  return bindings.LOADER ? { loader: bindings.LOADER } : undefined
}

async function runFound(call: ExecCall, module: ESMModule, identity: ResultIdentity, startedAt: number): Promise<ExecResult> {
  const isolates = moduleIsolates(call.bindings)
  if (!isolates) {
    return failure(identity, 'TIER_UNAVAILABLE', 'the Worker Loader binding LOADER is not configured, so tier 3 cannot run modules; add [[worker_loaders]] binding = "LOADER" to wrangler.toml', startedAt)
  }
  const args = (module.kind === 'wasm' ? WasmArgsSchema : EsmArgsSchema).safeParse(call.args)
  if (!args.success) return invalidArgs(identity, args.error, startedAt)
  try {
    return outcomeResult(identity, module, await callModule(call, module, isolates, call.bindings, runRequest(call, args.data)), startedAt)
  } catch (thrown) {
    if (thrown instanceof DeadlineReached) {
      return thrown.outcome === 'TIMEOUT'
        ? failure(identity, 'TIMEOUT', `module '${module.name}' did not finish within ${wallMs(call, module)} ms; raise timeoutMs (or the module's limits.wallMs)`, startedAt, { exitCode: TIMEOUT_STATUS })
        : failure(identity, 'CANCELLED', `module '${module.name}' was cancelled by the caller`, startedAt, { exitCode: CANCELLED_STATUS })
    }
    if (thrown instanceof ModuleCodeMissing) throw thrown
    // The isolate itself failed (it would not start, crashed, or hit a limit).
    return failureFromThrown(identity, thrown, startedAt, 'MODULE_ERROR', `module '${module.name}' could not run`)
  }
}
