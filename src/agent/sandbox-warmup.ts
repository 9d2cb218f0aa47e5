/**
 * Agent pooling (FR-LIFE-6): an agent's tier-4 sandbox is made when it
 * spawns, in the background, so its first tier-4 task finds it ready instead
 * of paying the sandbox setup. Spawn does not wait for it and never fails
 * because of it: tier 4 may be down, and then the first tier-4 task reports
 * that itself (and sandboxd makes the sandbox on that first run anyway).
 */
import type { AgentRecord } from './agent-store'
import { ENDED_AGENT_STATES } from '../../types/fabric'
import type { AgentRuntime } from './runtime'
import { releaseSandbox } from './termination'

/** Starts making the sandbox of the agent just spawned as `spawned`; resolves once it is made, skipped or failed. */
export function warmSandbox(rt: AgentRuntime, spawned: AgentRecord): Promise<void> {
  const { tenantId, agentId } = spawned
  const warming = rt.ports.prepareResources(tenantId, agentId, spawned.config.isolation).then(
    (created) => {
      if (created) adoptSandbox(rt)
    },
    (error: unknown) => rt.log.warn('warming the agent sandbox failed; its first tier-4 task makes it', { tenantId, agentId, error: String(error) }),
  )
  rt.ctx.waitUntil(warming)
  return warming
}

/**
 * Marks the sandbox as the agent's, so terminate or failure destroys it. An
 * agent that ended or failed while the sandbox was being made already
 * released what it held, so this one is destroyed now.
 */
function adoptSandbox(rt: AgentRuntime): void {
  const record = rt.atomically(() => rt.store.update({ usedSandbox: true }))
  if (ENDED_AGENT_STATES.includes(record.state) || record.state === 'FAILED') releaseSandbox(rt)
}
