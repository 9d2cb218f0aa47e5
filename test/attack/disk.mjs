/**
 * Finding 2's disk side (issue 16): the tenant tree has a total size quota (ceiling diskMb) that both
 * fsx and tier 4's sync-back enforce with DISK_QUOTA_EXCEEDED, and the tenant's CPU-seconds ceiling is
 * a tier-4 run's rlimit. The tenant's own admin cannot raise them; an operator sets them.
 */
import { check, refused, stillServes } from './check.mjs'
import { clientFor } from './fabric.mjs'

const MiB = 1024 * 1024

export async function disk(fabric, t, bystander) {
  const tier4 = fabric.health.tiers.some((tier) => tier.tier === 4 && tier.available)
  const operator = clientFor(fabric, fabric.operatorToken)
  const small = { memoryMb: 512, cpuCores: 1, durationSeconds: 600, diskMb: 2, cpuSeconds: 2, processes: 32 }
  refused('2 a tenant admin cannot raise its own disk quota', await t.admin('PUT', `/v1/tenants/${t.id}/ceilings`, { ...small, diskMb: 102_400 }), 403, 'FORBIDDEN')
  const set = await operator('PUT', `/v1/tenants/${t.id}/ceilings`, small)
  check('2 an operator sets the disk quota, CPU seconds and processes', set.status === 200 && set.body?.diskMb === 2, { status: set.status, body: set.body })

  const raw = (size) => ({ raw: Buffer.alloc(size, 97), headers: { 'content-type': 'application/octet-stream' } })
  const fits = await t.admin('PUT', '/v1/fs/fits.bin', undefined, raw(1.5 * MiB))
  check('2 a file under the disk quota is stored', fits.status < 300, { status: fits.status, body: fits.body })
  refused('2 a file over the disk quota: 413 DISK_QUOTA_EXCEEDED', await t.admin('PUT', '/v1/fs/over.bin', undefined, raw(1 * MiB)), 413, 'DISK_QUOTA_EXCEEDED')
  await stillServes('2 disk quota', bystander)
  if (!tier4) return check('2 tier-4 disk and CPU ceilings (skipped: bubblewrap is not installed)', true)

  await t.admin('POST', '/v1/agents', { id: 'filler', heartbeatIntervalSeconds: 0 })
  const fill = await t.admin('POST', '/v1/exec', { command: 'dd if=/dev/zero of=/filled bs=1M count=3', tier: 4, agentId: 'filler' })
  const landed = await t.admin('GET', '/v1/fs/filled')
  check(
    '2 a tier-4 run leaving the tree over the quota fails DISK_QUOTA_EXCEEDED and syncs nothing back',
    fill.status === 200 && fill.body.ok === false && fill.body.error?.code === 'DISK_QUOTA_EXCEEDED' && landed.status === 404,
    { run: fill.body?.error, fsStatus: landed.status },
  )
  await t.admin('POST', '/v1/agents', { id: 'burner', heartbeatIntervalSeconds: 0 })
  const burn = await t.admin('POST', '/v1/exec', { operation: 'sh', args: ['while :; do :; done'], tier: 4, timeoutMs: 20_000, agentId: 'burner' })
  check('2 the tenant\'s cpuSeconds ceiling (2 s) stops a CPU loop before its 20 s timeout: RESOURCE_EXHAUSTED', burn.status === 200 && burn.body.error?.code === 'RESOURCE_EXHAUSTED', { status: burn.status, error: burn.body?.error })
  await stillServes('2 tier-4 ceilings', bystander)
}
