/**
 * The real implementations behind the agent's ports: governance (kill switch,
 * policy, approvals) from src/governance, the write-ahead log over this
 * object's SQLite and D1 from src/wal, and execution through the tier router.
 */
import type { Env } from '../env'
import { createGovernance } from '../governance/governance'
import { runExec } from '../runtime/exec-service'
import { createWriteAheadLog } from '../wal/write-ahead-log'
import type { AgentPorts } from './runtime'

export function createAgentPorts(ctx: DurableObjectState, env: Env): AgentPorts {
  return {
    governance: createGovernance(env),
    wal: createWriteAheadLog(ctx.storage.sql, env.DB),
    runWork: (execution, request, bindings, signal) => runExec(execution, request, bindings, signal),
    // Tier 4 keeps no per-agent sandbox yet, so an agent holds nothing outside its object.
    releaseResources: async () => undefined,
  }
}
