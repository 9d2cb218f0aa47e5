/**
 * Cost-aware fallback at run time: `grep -P` is NOT_SUPPORTED on tier 1 and
 * falls back to tier 4 — but only once the caller's spend check agreed to
 * pay tier 4's estimate. Refused, the line fails BUDGET_EXCEEDED naming the
 * tier and the estimate, the sandbox runs nothing and nothing after the
 * stage runs. Real sandboxd + bubblewrap (`npx vitest run -c vitest.tier4.config.ts`).
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { ExecResult, ExecutionTier, TierSpendCheck } from '../../types/execution'
import { FabricError } from '../../types/errors'
import type { Env } from '../../src/env'
import { runCommand } from '../../src/execution/command'
import { createFileSystem, tenantRoot } from '../../src/execution/fsx/index'
import { createExecute } from '../../src/execution/index'
import { DEFAULT_COST_MODEL, estimateUsd } from '../../src/execution/route-plan/cost-model'
import { TENANT_SANDBOX_ID } from '../../src/execution/sandbox/executor'
import { agentResourceUsage } from '../../src/execution/sandbox/isolation-manager'

const bindings = env as unknown as Env
const LINE = "grep -P '\\d+' /a.txt; echo after > /ran.txt"
const TIMEOUT_MS = 30_000

/** A budget with `remainingUsd` left: refuses what it cannot pay, as the agent's budget does, and records what it was asked. */
function budget(remainingUsd: number): { check: TierSpendCheck; asked: Array<[ExecutionTier, number]> } {
  const asked: Array<[ExecutionTier, number]> = []
  const check: TierSpendCheck = async (tier, estimate) => {
    asked.push([tier, estimate])
    if (estimate > remainingUsd) throw new FabricError('BUDGET_EXCEEDED', `agent has $${remainingUsd} of its costUsd left today`, { dimension: 'costUsd' })
  }
  return { check, asked }
}

async function run(tenantId: string, spendCheck: TierSpendCheck): Promise<ExecResult> {
  const fs = createFileSystem('r2', { root: tenantRoot(tenantId), bindings })
  await fs.write('/a.txt', 'x1\ny\nx22\n')
  const execute = createExecute({ bindings, fs, tenantId })
  return runCommand(LINE, { execute, fs, options: { spendCheck, timeoutMs: TIMEOUT_MS } })
}

describe('a run-time fallback to a dearer tier is paid for first', () => {
  const tier4 = estimateUsd(DEFAULT_COST_MODEL, 4, TIMEOUT_MS)

  it('refused: BUDGET_EXCEEDED naming tier 4 and its estimate; the sandbox ran nothing and the line stopped', async () => {
    const tenantId = `e2e-fallback-poor-${crypto.randomUUID().slice(0, 8)}`
    const { check, asked } = budget(tier4 / 2)
    const result = await run(tenantId, check)
    expect(asked).toEqual([[4, tier4]])
    expect(result).toMatchObject({ ok: false, error: { code: 'BUDGET_EXCEEDED', retriable: false } })
    expect(result.error?.message).toContain(`'grep' would fall back from tier 1 (NOT_SUPPORTED) to tier 4, estimated at $${tier4.toPrecision(3)}`)
    expect(result.error?.message).toContain('nothing further ran')
    expect(result.stdout).toBe('')
    // The stage ran on tier 1 only; tier 4 was refused before it started.
    expect(result.stages?.map((stage) => [stage.operation, stage.tier])).toEqual([['grep', 1]])
    const fs = createFileSystem('r2', { root: tenantRoot(tenantId), bindings })
    expect(await fs.exists('/ran.txt')).toBe(false)
    expect((await agentResourceUsage(bindings, tenantId, TENANT_SANDBOX_ID)).execs).toBe(0)
  })

  it('paid: the same line falls back to tier 4 and runs to the end', async () => {
    const tenantId = `e2e-fallback-rich-${crypto.randomUUID().slice(0, 8)}`
    const { check, asked } = budget(1)
    const result = await run(tenantId, check)
    expect(asked).toEqual([[4, tier4]])
    expect(result).toMatchObject({ ok: true, exitCode: 0, stdout: 'x1\nx22\n' })
    expect(result.stages?.map((stage) => [stage.operation, stage.tier])).toEqual([['grep', 4]])
    const fs = createFileSystem('r2', { root: tenantRoot(tenantId), bindings })
    expect(await fs.readText('/ran.txt')).toBe('after\n')
    expect((await agentResourceUsage(bindings, tenantId, TENANT_SANDBOX_ID)).execs).toBe(1)
  })
})
