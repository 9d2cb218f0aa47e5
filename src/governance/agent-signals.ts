/**
 * Governance telling agents what it decided: an approval's outcome resumes or
 * fails the parked task on its agent, a kill switch aborts what the affected
 * agents are running, and a switch or a policy change is pushed to the live
 * agents it covers (they decide from state they hold: pushed-state.ts). Agents are Durable Objects named
 * `${tenantId}:${agentId}`; tenant and global switches find theirs in the
 * agent directory (D1 `agents`, migrations/0004_agents.sql).
 */
import { LIVE_AGENT_STATES } from '../../types/fabric'
import type { Env } from '../env'
import type { Approval } from './approvals'
import type { KillSwitchStore, KillTarget } from './kill-switch'

/** How many agents a kill switch signals at once. */
const FANOUT = 16
const DIRECTORY_PAGE = 500
const LIVE_STATES = `(${LIVE_AGENT_STATES.map((state) => `'${state}'`).join(', ')})`

export type ApprovalOutcome = 'approved' | 'rejected' | 'expired'

function agentStub(env: Pick<Env, 'AGENT'>, tenantId: string, agentId: string) {
  return env.AGENT.get(env.AGENT.idFromName(`${tenantId}:${agentId}`))
}

/** Resumes (approved) or fails (rejected, expired) the task parked behind the approval. */
export async function resolveOnAgent(env: Pick<Env, 'AGENT'>, approval: Approval): Promise<void> {
  const outcome = approval.status
  if (outcome === 'pending') return
  await agentStub(env, approval.tenantId, approval.agentId).resolveApproval(approval.taskId, outcome, {
    approvalId: approval.approvalId,
    ...(approval.decidedBy ? { approver: approval.decidedBy } : {}),
    ...(approval.reason ? { reason: approval.reason } : {}),
  })
}

interface AgentKey {
  tenant_id: string
  agent_id: string
}

async function agentPage(db: D1Database, target: Exclude<KillTarget, { scope: 'agent' }>, states: string, after: AgentKey): Promise<AgentKey[]> {
  const { results } = await db
    .prepare(
      `SELECT tenant_id, agent_id FROM agents WHERE (?1 IS NULL OR tenant_id = ?1) AND state IN ${states}
         AND (tenant_id, agent_id) > (?2, ?3) ORDER BY tenant_id, agent_id LIMIT ?4`,
    )
    .bind(target.scope === 'tenant' ? target.tenantId : null, after.tenant_id, after.agent_id, DIRECTORY_PAGE)
    .all<AgentKey>()
  return results
}

export interface SignalReport {
  signalled: number
  failed: Array<{ tenantId: string; agentId: string; error: string }>
}

/** Sends `signal` to every agent the switch covers that is in one of `states`, a few at a time. */
async function signalAgents(
  env: Pick<Env, 'AGENT' | 'DB'>,
  target: KillTarget,
  states: string,
  signal: (key: AgentKey) => Promise<unknown>,
): Promise<SignalReport> {
  const report: SignalReport = { signalled: 0, failed: [] }
  const send = async (keys: AgentKey[]) => {
    for (let i = 0; i < keys.length; i += FANOUT) {
      const batch = keys.slice(i, i + FANOUT)
      const outcomes = await Promise.allSettled(batch.map(signal))
      outcomes.forEach((outcome, j) => {
        const key = batch[j] as AgentKey
        if (outcome.status === 'fulfilled') report.signalled++
        else report.failed.push({ tenantId: key.tenant_id, agentId: key.agent_id, error: String(outcome.reason) })
      })
    }
  }
  if (target.scope === 'agent') {
    await send([{ tenant_id: target.tenantId, agent_id: target.agentId }])
    return report
  }
  let after: AgentKey = { tenant_id: '', agent_id: '' }
  for (;;) {
    const page = await agentPage(env.DB, target, states, after)
    await send(page)
    if (page.length < DIRECTORY_PAGE) return report
    after = page[page.length - 1] as AgentKey
  }
}

/** Aborts the running attempts of every live agent the switch covers (they also stop dispatching). */
export function abortAffectedAgents(env: Pick<Env, 'AGENT' | 'DB'>, target: KillTarget, reason: string): Promise<SignalReport> {
  return signalAgents(env, target, LIVE_STATES, (k) => agentStub(env, k.tenant_id, k.agent_id).abortRunning(reason))
}

/**
 * After a switch is lifted: every live agent it covers forgets the switch
 * state it holds (one it refused work for without being suspended included);
 * agents it suspended, and that no other active switch still covers, run
 * again. Returns how many were told.
 */
export function resumeAffectedAgents(env: Pick<Env, 'AGENT' | 'DB'>, target: KillTarget, switches: KillSwitchStore): Promise<SignalReport> {
  return signalAgents(env, target, LIVE_STATES, async (k) => {
    const agent = agentStub(env, k.tenant_id, k.agent_id)
    if (await switches.activeFor(k.tenant_id, k.agent_id)) return agent.governanceChanged()
    return agent.killSwitchLifted()
  })
}

/**
 * A policy of the tenant changed (written in D1 already): every live agent of
 * the tenant drops the policy set it holds, before the write's response, so
 * its next decision uses the new one (src/governance/pushed-state.ts).
 */
export function pushPolicyChange(env: Pick<Env, 'AGENT' | 'DB'>, tenantId: string): Promise<SignalReport> {
  return signalAgents(env, { scope: 'tenant', tenantId }, LIVE_STATES, (k) => agentStub(env, k.tenant_id, k.agent_id).governanceChanged())
}

/** Calls `signal` for every live agent of the tenant, a few at a time (a WAL reader has their outboxes flushed). */
export function signalLiveAgents(env: Pick<Env, 'AGENT' | 'DB'>, tenantId: string, signal: (agentId: string) => Promise<unknown>): Promise<SignalReport> {
  return signalAgents(env, { scope: 'tenant', tenantId }, LIVE_STATES, (k) => signal(k.agent_id))
}
