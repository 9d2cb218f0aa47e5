/**
 * The `plan` tool's answer when the fabric has no POST /v1/exec/plan route:
 * the command line parsed as the shell parses it, and for each stage the tier
 * the router would pick by name (detectTier: the cheapest tier that handles the
 * operation). A dry run: nothing executes and nothing is written.
 */
import type { Env } from '../../env'
import { parseCommandLine, type AndOr, type Pipeline, type SimpleCommand } from '../../execution/shell'
import { DEFAULT_TIERS } from '../../execution/tier-table'
import { detectTier } from '../../execution/tiers'

export interface PlannedStage {
  operation: string
  tier: number
}

function pipelines(node: AndOr | Pipeline): Pipeline[] {
  return node.kind === 'pipeline' ? [node] : [...pipelines(node.left), node.right]
}

/** A stage's operation is its first word when that word is literal text; `$CMD` is decided only at run time. */
function operationOf(command: SimpleCommand): string | undefined {
  const first = command.words[0]
  if (!first || !first.parts.every((part) => part.kind === 'literal')) return undefined
  return first.parts.map((part) => (part.kind === 'literal' ? part.text : '')).join('')
}

export async function planByName(command: string, env: Env, tenantId: string): Promise<{ source: 'router.detectTier'; stages: PlannedStage[] }> {
  const stages: PlannedStage[] = []
  for (const item of parseCommandLine(command).items) {
    for (const pipeline of pipelines(item)) {
      for (const simple of pipeline.commands) {
        const operation = operationOf(simple)
        if (operation) stages.push({ operation, tier: await detectTier(operation, env, DEFAULT_TIERS, tenantId) })
      }
    }
  }
  return { source: 'router.detectTier', stages }
}
