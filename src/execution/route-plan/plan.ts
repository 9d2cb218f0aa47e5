/**
 * The route plan: how a call would be routed, why, and what each tier would
 * cost — answered without running anything (POST /v1/exec/plan, the RPC
 * `plan` method), and recorded with every real execution (ExecResult.route,
 * kept in the WAL's task.completed / task.failed events).
 *
 * The shell's own decision (`planLine`) comes first: a line tier 1 cannot
 * run in process (an unknown program inside a loop, `&`, process
 * substitution) goes whole to tier 4 as `bash -c` (`whole-line`), as does
 * every line of a request that pins tier 4. Otherwise
 * every command of the line is routed on its own (`per-stage`): the tiers are
 * asked by name in cost order, exactly as the router's detection does, and a
 * stage below tier 4 may still fall back there at run time when the tier
 * lacks an option (NOT_SUPPORTED), times out or is not available.
 */
import type { ExecutionTier } from '../../../types/execution'
import type { ExecRequest } from '../../core/exec-request'
import type { Env } from '../../env'
import { NATIVE_OPERATIONS } from '../native/index'
import { BUILTINS } from '../shell/builtins'
import { parseCommandLine, planLine, type CommandList, type SimpleCommand, type Word } from '../shell/index'
import { visitList } from '../shell/walk'
import { detectTier, type TierTable } from '../tiers'
import { estimateUsd, type TierCostModel } from './cost-model'

export type PlanMode = 'per-stage' | 'whole-line'

/** What decided a stage's tier. */
export type RouteCause =
  | { kind: 'explicit'; value: string }
  | { kind: 'builtin'; value: string }
  | { kind: 'program'; value: string }

export interface StagePlan {
  operation: string
  args: string[]
  tier: ExecutionTier
  why: string
  cause: RouteCause
  /** Tiers the stage may move to at run time (a retriable failure), dearer ones only. */
  mayFallBackTo: ExecutionTier[]
  estimateUsd: number
}

export interface RoutePlan {
  mode: PlanMode
  /** The dearest tier any stage is planned on. */
  tier: ExecutionTier
  why: string
  stages: StagePlan[]
  estimate: {
    /** Sum over the stages on their planned tiers. */
    usd: number
    /** Sum if every stage that may fall back did (the worst case the budget check uses). */
    worstCaseUsd: number
    /** One call on each tier, so a caller can compare. */
    perCallByTier: Record<'1' | '2' | '3' | '4', number>
    model: TierCostModel
  }
}

export interface PlanDeps {
  bindings: Env
  tenantId: string
  tiers: TierTable
  model: TierCostModel
}

const TIER_NAMES: Record<ExecutionTier, string> = { 1: 'a native utility', 2: 'a tier-2 service', 3: "one of the tenant's modules", 4: 'the Linux sandbox' }

/** A word as written: literals joined, parameters shown as `$NAME`, anything else the shell would expand as `…`. */
function wordText(word: Word): string {
  return word.parts.map((part) => (part.kind === 'literal' ? part.text : part.kind === 'parameter' ? `$${part.name}` : '…')).join('')
}

/** Every simple command of the line, inside compound commands and substitutions too, in source order. */
function simpleCommands(list: CommandList): SimpleCommand[] {
  const commands: SimpleCommand[] = []
  visitList(list, { simple: (command) => commands.push(command) })
  return commands
}

/** `inShell`: a stage of a command line, where the shell runs its builtins itself; an operation call goes to the router whatever its name. */
async function planStage(operation: string, args: string[], request: ExecRequest, deps: PlanDeps, inShell: boolean): Promise<StagePlan> {
  const cost = (tier: ExecutionTier) => estimateUsd(deps.model, tier, request.timeoutMs)
  if (inShell && BUILTINS.has(operation)) {
    return { operation, args, tier: 1, why: `'${operation}' is a shell builtin`, cause: { kind: 'builtin', value: operation }, mayFallBackTo: [], estimateUsd: cost(1) }
  }
  if (request.tier !== undefined) {
    const tier = request.tier
    return { operation, args, tier, why: `the request asks for tier ${tier} (no fallback)`, cause: { kind: 'explicit', value: `tier ${tier}` }, mayFallBackTo: [], estimateUsd: cost(tier) }
  }
  const tier = await detectTier(operation, deps.bindings, deps.tiers, deps.tenantId)
  const why =
    tier === 4
      ? `'${operation}' is no native utility, tier-2 service or tenant module: only the Linux sandbox runs it`
      : `'${operation}' is ${TIER_NAMES[tier]}; tier 4 takes over if tier ${tier} lacks an option, times out or is unavailable`
  return { operation, args, tier, why, cause: { kind: 'program', value: operation }, mayFallBackTo: tier === 4 ? [] : [4], estimateUsd: cost(tier) }
}

export function planFromStages(stages: StagePlan[], mode: PlanMode, model: TierCostModel, timeoutMs?: number): RoutePlan {
  const dearest = stages.reduce<StagePlan | undefined>((top, stage) => (!top || stage.tier > top.tier ? stage : top), undefined)
  const tier = dearest?.tier ?? 1
  const usd = stages.reduce((sum, stage) => sum + stage.estimateUsd, 0)
  const worstCaseUsd = stages.reduce((sum, stage) => sum + (stage.mayFallBackTo.length > 0 ? estimateUsd(model, 4, timeoutMs) : stage.estimateUsd), 0)
  return {
    mode,
    tier,
    why: dearest ? `stage '${dearest.operation}' needs tier ${tier}: ${dearest.why}` : 'nothing to run',
    stages,
    estimate: {
      usd,
      worstCaseUsd,
      perCallByTier: { '1': estimateUsd(model, 1), '2': estimateUsd(model, 2), '3': estimateUsd(model, 3), '4': estimateUsd(model, 4, timeoutMs) },
      model,
    },
  }
}

/** The plan for a validated exec request. Throws the shell's ParseError for a malformed line, as exec would. */
export async function buildRoutePlan(request: ExecRequest, deps: PlanDeps): Promise<RoutePlan> {
  if (request.command === undefined) {
    const stage = await planStage(request.operation ?? '', (request.args ?? []).map(String), request, deps, false)
    return planFromStages([stage], 'per-stage', deps.model, request.timeoutMs)
  }
  const list = parseCommandLine(request.command)
  const line = planLine(list, (name) => NATIVE_OPERATIONS.has(name), { pinnedTier: request.tier })
  if (line.kind === 'whole') {
    // The shell's own answer, as exec gets it: a line it hands whole to `bash -c` (every line pinned to
    // tier 4 among them) runs where the request pins it (tier 4 when it pins none, and no fallback when it does).
    const tier = request.tier ?? 4
    const { reason } = line
    const whole: StagePlan = {
      operation: 'bash',
      args: ['-c', request.command],
      tier,
      why:
        tier === 4
          ? `the whole line runs on tier 4 as 'bash -c': ${reason}`
          : `the whole line runs as 'bash -c' (${reason}) on tier ${tier}, as the request asks (no fallback)`,
      cause: request.tier === undefined ? { kind: 'program', value: reason } : { kind: 'explicit', value: `tier ${tier}` },
      mayFallBackTo: [],
      estimateUsd: estimateUsd(deps.model, tier, request.timeoutMs),
    }
    return planFromStages([whole], 'whole-line', deps.model, request.timeoutMs)
  }
  const stages: StagePlan[] = []
  for (const command of simpleCommands(list)) {
    const [operation = '', ...args] = command.words.map(wordText)
    if (operation) stages.push(await planStage(operation, args, request, deps, true))
  }
  return planFromStages(stages, 'per-stage', deps.model, request.timeoutMs)
}
