/**
 * Seed 001's IsolationManager for the agent lifecycle: create an agent's
 * sandbox with its isolation config, destroy it (work dir included) when the
 * agent terminates, and report its resource usage (`get_resource_usage`).
 * Runs go through the tier-4 executor; these are the calls around them.
 */
import type { IsolationConfig } from '../../../types/fabric'
import type { Env } from '../../env'
import { type SandboxClient, type SandboxUsageReport } from './client'
import { FabricError } from '../../../types/errors'
import { isolationOf } from './executor'
import { selectSandboxClient } from './select-client'

function clientFor(bindings: Env): SandboxClient {
  const selected = selectSandboxClient(bindings)
  if (!selected.ok) throw new FabricError('TIER_UNAVAILABLE', selected.reason)
  return selected.client
}

export async function createAgentSandbox(bindings: Env, tenantId: string, agentId: string, config?: IsolationConfig): Promise<void> {
  await clientFor(bindings).create({ tenantId, sandboxId: agentId }, isolationOf(config))
}

export async function destroyAgentSandbox(bindings: Env, tenantId: string, agentId: string): Promise<void> {
  await clientFor(bindings).destroy({ tenantId, sandboxId: agentId })
}

export async function agentResourceUsage(bindings: Env, tenantId: string, agentId: string): Promise<SandboxUsageReport> {
  return clientFor(bindings).usage({ tenantId, sandboxId: agentId })
}
