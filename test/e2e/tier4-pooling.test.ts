/**
 * Agent pooling (FR-LIFE-6) end to end: spawning a real AgentDO makes its
 * tier-4 sandbox in the real sandboxd (with the agent's isolation config)
 * before any task runs, and terminating the agent destroys it.
 *
 * sandboxd makes a sandbox on any call that names it (with its default
 * isolation, `container`), so "the warm sandbox exists" is observed as "a run
 * that brings no isolation of its own finds the agent's `process` level",
 * and "it was destroyed" as "its run count went back to 0".
 */
import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { ExecResult } from '../../types/execution'
import type { AgentDO } from '../../src/agent/agent-do'
import type { Caller } from '../../src/agent/admission'
import type { AgentRuntime } from '../../src/agent/runtime'
import { agentStub, type AgentStub } from '../../src/agent/router'
import { unwrap } from '../../src/agent/rpc-result'
import type { Env } from '../../src/env'
import { createFileSystem, tenantRoot } from '../../src/execution/fsx/index'
import { resolveOptions } from '../../src/execution/index'
import { sandboxExecutor } from '../../src/execution/sandbox/executor'
import { agentResourceUsage, destroyAgentSandbox } from '../../src/execution/sandbox/isolation-manager'

const bindings = env as unknown as Env
const POLL_MS = 50
const WAIT_MS = 10_000

/** Re-reads `probe` until it holds; the warm-up and the release run in the object's background. */
async function eventually(what: string, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_MS
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${WAIT_MS} ms`)
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}

function usedSandbox(stub: AgentStub): Promise<boolean> {
  return runInDurableObject(stub, (instance: AgentDO) => (instance as unknown as { rt: AgentRuntime }).rt.store.require().usedSandbox)
}

/** `true` on tier 4 in the agent's sandbox, as the agent's tasks run there, with no isolation config of its own. */
function runInAgentSandbox(tenantId: string, agentId: string): Promise<ExecResult> {
  const fs = createFileSystem('r2', { root: tenantRoot(tenantId), bindings })
  return sandboxExecutor.run({ operation: 'true', args: [], options: resolveOptions({ tier: 4, agentId }, tenantId), fs, bindings })
}

describe('agent pooling: the sandbox is warm at spawn', () => {
  it('spawn makes the agent sandbox with its isolation level; terminate destroys it', async () => {
    const tenantId = `e2e-pool-${crypto.randomUUID()}`
    const agentId = 'pooled-1'
    const caller: Caller = { tenantId, principal: 'tok_test' }
    const stub = agentStub(bindings, tenantId, agentId)
    const isolation = { level: 'process', memoryMb: 256, cpuCores: 1, networkEgress: [] }

    const spawned = unwrap(await stub.spawn(caller, { id: agentId, heartbeatIntervalSeconds: 0, isolation }))
    expect(spawned.state).toBe('RUNNING')
    await eventually('the warm-up', () => usedSandbox(stub))
    expect(await agentResourceUsage(bindings, tenantId, agentId)).toMatchObject({ execs: 0, files: 0, diskBytes: 0 })

    const first = await runInAgentSandbox(tenantId, agentId)
    expect(first).toMatchObject({ ok: true, tier: 4, exitCode: 0, value: { isolation: 'process' } })
    expect((await agentResourceUsage(bindings, tenantId, agentId)).execs).toBe(1)

    const ended = unwrap(await stub.terminate(caller, { graceful: false, drainTimeoutSeconds: 0, outcome: 'TERMINATED' }))
    expect(ended.state).toBe('TERMINATED')
    await eventually('the release', async () => (await agentResourceUsage(bindings, tenantId, agentId)).execs === 0)
    // What stands there now is a fresh sandbox with sandboxd's default level, made by the probes above.
    expect((await runInAgentSandbox(tenantId, agentId)).value).toMatchObject({ isolation: 'container' })
    await destroyAgentSandbox(bindings, tenantId, agentId)
  })
})
