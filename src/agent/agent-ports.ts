/**
 * The real implementations behind the agent's ports: governance (kill switch,
 * policy, approvals) from src/governance, the write-ahead log over this
 * object's SQLite and D1 from src/wal, execution through the tier router, and
 * the agent's tier-4 sandbox from src/execution/sandbox.
 */
import type { Env } from '../env'
import { isSandboxAvailable } from '../execution/sandbox/availability'
import { createAgentSandbox, destroyAgentSandbox } from '../execution/sandbox/isolation-manager'
import { selectSandboxClient } from '../execution/sandbox/select-client'
import { createGovernance, type AgentScope } from '../governance/governance'
import { runExec } from './exec-service'
import { HeldCeilings, readCeilings } from './ceilings'
import { createWriteAheadLog } from '../wal/write-ahead-log'
import type { AgentPorts } from './runtime'

/** The agent as its governance sees it; `kept` says audit rows joined the outbox (so a flush is due). */
export type AgentPortScope = Omit<AgentScope, 'keep'> & { kept(): void }

export function createAgentPorts(ctx: DurableObjectState, env: Env, scope: AgentPortScope): AgentPorts {
  const wal = createWriteAheadLog(ctx.storage.sql, env.DB)
  const keep: AgentScope['keep'] = (records) => {
    wal.keep(records)
    scope.kept()
  }
  // The agent decides from its own kill-switch and policy state, read once and then pushed (src/governance/pushed-state.ts);
  // its decision audit joins the WAL's outbox.
  const decisions = createGovernance(env, { owner: scope.owner, beforeLoad: scope.beforeLoad, keep })
  const ceilings = new HeldCeilings(async () => {
    const owner = scope.owner()
    if (!owner) throw new Error('ceilings are read for a spawned agent only')
    return readCeilings(env.KV, owner.tenantId)
  })
  // Every push (kill switch, policy, ceilings written) and every spawn drops what the agent holds.
  const governance = {
    ...decisions,
    stateChanged: () => {
      decisions.stateChanged()
      ceilings.drop()
    },
  }
  return {
    governance,
    ceilings: () => ceilings.current(),
    wal,
    // fs: rules at run time come from the same pushed set: no D1 read per attempt; a tier-4 run's rlimits and the
    // disk quota come from the ceilings the agent holds: no KV read per attempt.
    runWork: (execution, request, bindings, signal, decision, spendCheck) =>
      runExec(
        execution,
        request,
        bindings,
        signal,
        decision,
        spendCheck,
        () => governance.policySet(execution.tenantId, execution.agentId),
        () => ceilings.current(),
      ),
    // Pooling (FR-LIFE-6): the sandbox is made at spawn so the first tier-4 task skips its setup. An agent
    // without isolation has none to make; with tier 4 down (the routing's cached health check) there is
    // nothing to warm, and its first tier-4 task reports that itself.
    prepareResources: async (tenantId, agentId, isolation) => {
      if (isolation.level === 'none' || !(await isSandboxAvailable(env))) return false
      await createAgentSandbox(env, tenantId, agentId, isolation)
      return true
    },
    // An agent's tier-4 sandbox (its work dir, its processes) goes with it; without a sandbox backend there is none.
    releaseResources: async (tenantId, agentId) => {
      if (selectSandboxClient(env).ok) await destroyAgentSandbox(env, tenantId, agentId)
    },
  }
}
