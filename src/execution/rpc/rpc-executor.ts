/**
 * Tier 2: runs an operation on another Worker over its service binding.
 *
 * The call carries a child span's traceparent and a deadline; the fabric
 * stops waiting when the deadline passes (TIMEOUT) or the caller aborts
 * (CANCELLED). A missing binding is TIER_UNAVAILABLE and an exception in the
 * service is RPC_ERROR; both are retriable, so the router falls back to
 * tier 4. A command that fails on its own terms (a bad jq filter) is
 * COMMAND_FAILED with its exit status, as from the CLI. Nothing here throws.
 */
import type { ExecResult } from '../../../types/execution'
import { childSpan, traceFrom } from '../../core/trace'
import { ArgvSchema, CANCELLED_STATUS, identityOf, invalidArgs, TIMEOUT_STATUS, USAGE_STATUS } from '../call-input'
import type { ExecCall, TierExecutor } from '../executor'
import { isFsError } from '../fsx'
import { commandResult } from '../native/command-result'
import { UnsupportedFeature, UsageError } from '../native/context'
import { Deadline, DeadlineReached } from '../native/deadline'
import { failure, failureFromThrown } from '../result'
import { RPC_OPERATIONS } from './registry'
import { releaseRpcResult } from './release'
import { stageInput } from './stage-input'

export const rpcExecutor: TierExecutor = {
  tier: 2,
  handles: async (operation) => RPC_OPERATIONS.has(operation),
  isAvailable: async (bindings) => [...RPC_OPERATIONS.values()].some((operation) => operation.connect(bindings) !== undefined),
  run: runRpc,
}

const encoder = new TextEncoder()

async function runRpc(call: ExecCall): Promise<ExecResult> {
  const startedAt = performance.now()
  const identity = identityOf(call, 2)
  const operation = RPC_OPERATIONS.get(call.operation)
  if (!operation) {
    return failure(identity, 'UNKNOWN_OPERATION', `'${call.operation}' is not a tier-2 operation (known: ${[...RPC_OPERATIONS.keys()].join(', ')})`, startedAt, { exitCode: 127 })
  }
  const argv = ArgvSchema.safeParse(call.args)
  if (!argv.success) return invalidArgs(identity, argv.error, startedAt)
  const send = operation.connect(call.bindings)
  if (!send) {
    return failure(identity, 'TIER_UNAVAILABLE', `the service binding ${operation.binding} is not configured, so tier 2 cannot run '${call.operation}'; add it under [[services]] in wrangler.toml (or let the call fall back to tier 4)`, startedAt)
  }

  const finished = (exitCode: number, stdout: string, stderr: string) =>
    commandResult(identity, { exitCode, stdout: encoder.encode(stdout), stderr, startedAt })
  const deadline = new Deadline(call.options.timeoutMs, call.options.signal)
  try {
    const output = await deadline.race(
      send({
        argv: argv.data,
        readInput: stageInput(call.fs, call.options.cwd, call.options.stdin),
        traceparent: childSpan(traceFrom(call.options.traceparent)).traceparent,
        deadline: Date.now() + call.options.timeoutMs,
      }),
    )
    releaseRpcResult(output)
    return finished(output.exitCode, output.stdout, output.stderr)
  } catch (thrown) {
    if (thrown instanceof UsageError) return finished(USAGE_STATUS, '', `${call.operation}: ${thrown.message}\n`)
    if (isFsError(thrown)) return finished(USAGE_STATUS, '', `${call.operation}: error: Could not open ${thrown.path}: ${thrown.reason}\n`)
    if (thrown instanceof UnsupportedFeature) return failure(identity, 'NOT_SUPPORTED', thrown.message, startedAt, { exitCode: USAGE_STATUS })
    if (thrown instanceof DeadlineReached) {
      return thrown.outcome === 'TIMEOUT'
        ? failure(identity, 'TIMEOUT', `${operation.binding}.${operation.method} did not answer within ${call.options.timeoutMs} ms; raise timeoutMs or make the input smaller`, startedAt, { exitCode: TIMEOUT_STATUS })
        : failure(identity, 'CANCELLED', `${call.operation} was cancelled by the caller`, startedAt, { exitCode: CANCELLED_STATUS })
    }
    return failureFromThrown(identity, thrown, startedAt, 'RPC_ERROR', `${operation.binding}.${operation.method} failed`)
  } finally {
    deadline.dispose()
  }
}
