/**
 * An exec whose attempt the agent stopped at its timeout (the alarm, not the
 * tier) has no ExecResult from the tier that ran it. The caller still gets
 * one: the execution ran and timed out, which is an outcome like a failed
 * command (HTTP 200, `ok: false`), not a fault of the fabric (5xx). Exit
 * status 124 is what coreutils' timeout(1) reports for the same event.
 * `execAnswer` is what POST /v1/exec answers for any settled task.
 */
import type { ExecResult, ExecutionTier } from '../../types/execution'
import { execError } from '../execution/result'
import { NATIVE_OPERATIONS } from '../execution/native/index'
import { splitCommandLine } from '../governance/command-stages'
import { parseCommandLine, planLine } from '../execution/shell/index'
import { FabricError, isErrorCode } from '../../types/errors'
import { contextOf, type TaskRow, type TaskView } from './task-record'
import { parseTaskColumn } from './task-columns'

const TIMEOUT_EXIT_STATUS = 124

function operationsOf(view: TaskView): string[] {
  return view.work.kind === 'operation' ? [view.work.operation] : splitCommandLine(view.work.command).map((stage) => stage.operation)
}

/**
 * The tier is not recorded once an attempt is stopped from outside; the work
 * starts on tier 1 when the shell's plan keeps the line in process (or every
 * operation is a native utility), else on tier 4 (the only tiers whose work
 * runs long enough to be stopped).
 */
function startingTier(view: TaskView, operations: string[]): ExecutionTier {
  if (view.work.kind === 'command') {
    try {
      return planLine(parseCommandLine(view.work.command), (name) => NATIVE_OPERATIONS.has(name)).kind === 'tier1' ? 1 : 4
    } catch {
      return 4
    }
  }
  return operations.every((op) => op === '' || NATIVE_OPERATIONS.has(op)) ? 1 : 4
}

export function timedOutResult(row: TaskRow, view: TaskView): ExecResult | undefined {
  if (view.error?.code !== 'TIMEOUT') return undefined
  const operations = operationsOf(view)
  const message = view.error.message
  return {
    ok: false,
    tier: startingTier(view, operations),
    operation: view.work.kind === 'operation' ? view.work.operation : (operations[0] ?? ''),
    exitCode: TIMEOUT_EXIT_STATUS,
    stdout: '',
    stderr: `${message}\n`,
    error: execError('TIMEOUT', message),
    duration: Math.max(0, (row.finished_at ?? 0) - (row.started_at ?? 0)),
    executionId: row.execution_id,
    traceId: contextOf(row).trace.traceId,
  }
}

/** What POST /v1/exec answers for a settled task: its result, else a timeout's, else its error (thrown). */
export function execAnswer(row: TaskRow, view: () => TaskView): ExecResult {
  // Most tasks end with a result: only that column is parsed, not the whole view.
  if (row.result) return parseTaskColumn('result', row.result, row.id)
  const full = view()
  const result = timedOutResult(row, full)
  if (result) return result
  const code = full.error && isErrorCode(full.error.code) ? full.error.code : 'INTERNAL'
  throw new FabricError(code, full.error?.message ?? `the task ended ${full.status}`, { taskId: full.id })
}
