/**
 * Where a parsed line runs — a pure function, so the route-plan endpoint can
 * show the same decision the shell makes:
 *
 * - `tier1`: every command is a builtin, a function of the line or a tier-1
 *   utility; the interpreter runs it in process (a stage a utility cannot
 *   finish still moves up on its own).
 * - `stages`: a plain list of pipelines of simple commands — each stage is
 *   routed to its own tier, as before.
 * - `whole`: anything else tier 1 cannot do — an unknown program inside a
 *   loop, `&`, process substitution — runs whole on tier 4 as `bash -c`.
 *
 * A line whose request pins tier 4 runs whole there (PINNED_TIER4_REASON):
 * deciding it here keeps exec and the route plan on one answer.
 */
import type { ExecutionTier } from '../../../types/execution'
import type { CommandList } from './ast'
import { BUILTINS } from './builtins'
import { DECLARATION_BUILTINS } from './builtins-vars'
import { plainText } from './parser'
import { visitList } from './walk'

/** Why a line whose request pins tier 4 runs whole there, builtins included: tier 4 means the sandbox answers, not the fabric's shell. */
const PINNED_TIER4_REASON = 'the request asks for tier 4, so the whole line runs in the sandbox, builtins included'

export type LinePlan =
  | { kind: 'tier1' }
  | { kind: 'stages'; unknown: string[] }
  | { kind: 'whole'; tier: 4; reason: string }

export interface PlanOptions {
  /** The tier the request pins, if any. */
  pinnedTier?: ExecutionTier | undefined
}

/** The plan for a parsed line; `isTier1` says whether tier 1 has a utility by that name. */
export function planLine(list: CommandList, isTier1: (name: string) => boolean, options: PlanOptions = {}): LinePlan {
  if (options.pinnedTier === 4) return { kind: 'whole', tier: 4, reason: PINNED_TIER4_REASON }
  let plain = true
  let dynamic = false
  let background = false
  let procsubst = false
  const functions = new Set<string>()
  const names: string[] = []
  visitList(list, {
    simple: (command) => {
      const [first] = command.words
      if (!first) return
      const name = plainText(first)
      if (name === undefined) dynamic = true
      else names.push(name)
    },
    function: (definition) => functions.add(definition.name),
    structure: () => (plain = false),
    background: () => (background = true),
    procsubst: () => (procsubst = true),
  })
  if (background) return { kind: 'whole', tier: 4, reason: "'&' (a background job) needs real processes" }
  if (procsubst) return { kind: 'whole', tier: 4, reason: 'process substitution <(…) needs real processes' }
  const known = (name: string) => BUILTINS.has(name) || DECLARATION_BUILTINS.has(name) || name === 'exec' || functions.has(name) || isTier1(name)
  const unknown = [...new Set(names.filter((name) => !known(name)))]
  if (unknown.length === 0 && !dynamic) return { kind: 'tier1' }
  if (plain) return { kind: 'stages', unknown }
  const reason = unknown.length > 0 ? `${unknown.join(', ')} ${unknown.length === 1 ? 'is not a tier-1 program' : 'are not tier-1 programs'}` : 'a command name computed at run time'
  return { kind: 'whole', tier: 4, reason }
}
