/**
 * `actionsForExec(request)`: every policy action an exec request needs — one
 * set per pipeline stage (`exec:<op>`, its files, its URLs, its redirections)
 * plus `tier:<n>` when the caller pins a tier.
 */
import type { ExecutionTier } from '../../types/execution'
import { tierAction } from '../core/policy-actions'
import { actionsForStage, uniqueActions, type StageForPolicy } from './actions'
import { splitCommandLine } from './command-stages'

export interface ExecShape {
  command?: string
  operation?: string
  args?: readonly unknown[]
  tier?: ExecutionTier
  cwd?: string
  env?: Readonly<Record<string, string>>
}

export function actionsForExec(request: ExecShape): string[] {
  const cwd = request.cwd ?? '/'
  const stages: StageForPolicy[] =
    request.command !== undefined ? splitCommandLine(request.command, request.env) : [{ operation: request.operation ?? '', args: request.args ?? [] }]
  const actions = stages.flatMap((stage) => actionsForStage(stage, cwd))
  if (request.tier) actions.push(tierAction(request.tier))
  return uniqueActions(actions)
}
