/**
 * Per-tenant resource ceilings (issue 16, finding 2): the most a tenant's
 * callers may ask for — memory and cores per sandbox (agent spawn), and the
 * duration of one task — and the limits applied without asking: the disk
 * quota of the tenant's file tree, and the CPU seconds and processes of one
 * tier-4 run (sent to sandboxd as the run's rlimits). An operator sets them (PUT
 * /v1/tenants/:id/ceilings); a tenant's own tokens cannot raise them, and
 * anything asked above one is refused with CEILING_EXCEEDED naming it.
 * Stored in KV (`ceilings:<tenant>`), read on spawn, and held by each agent for
 * its admissions until a write pushes them out (HeldCeilings below).
 * Defaults are at most the seed-000 table (execution agents: 8 GB, 4 cores, 4 h);
 * the table has no disk, CPU-time or process column: their defaults are
 * sandboxd's own (60 s, 128) and 1 GiB of files.
 */
import { z } from '@hono/zod-openapi'
import { FabricError } from '../../types/errors'

export const CeilingsSchema = z
  .object({
    memoryMb: z.number().int().min(16).max(8192),
    cpuCores: z.number().positive().max(4),
    durationSeconds: z.number().int().min(1).max(14_400),
    /** Total bytes of the tenant's file tree (fsx writes and tier 4's sync-back), in MB. */
    diskMb: z.number().int().min(1).max(102_400).default(1024),
    /** CPU time of one tier-4 run (sandboxd's RLIMIT_CPU), in seconds. */
    cpuSeconds: z.number().int().min(1).max(3_600).default(60),
    /** Processes and threads of one tier-4 run (sandboxd's RLIMIT_NPROC). */
    processes: z.number().int().min(4).max(4_096).default(128),
  })
  .strict()
  .openapi('Ceilings')

export type Ceilings = z.infer<typeof CeilingsSchema>

export const DEFAULT_CEILINGS: Ceilings = Object.freeze({ memoryMb: 2048, cpuCores: 2, durationSeconds: 3600, diskMb: 1024, cpuSeconds: 60, processes: 128 })

const key = (tenantId: string) => `ceilings:${tenantId}`

export async function readCeilings(kv: KVNamespace, tenantId: string): Promise<Ceilings> {
  const stored = CeilingsSchema.safeParse(await kv.get(key(tenantId), 'json'))
  return stored.success ? stored.data : DEFAULT_CEILINGS
}

/**
 * The ceilings an agent's object holds between admissions, pushed rather than polled like its policy set
 * (src/governance/pushed-state.ts): read from KV once, then again only after `drop` — which a ceilings write
 * triggers on every live agent of the tenant before it answers (src/api/routes/ceilings.ts), and a spawn or
 * a wake-up (a fresh object) implies. A read that fails is not kept.
 */
export class HeldCeilings {
  private held: Promise<Ceilings> | undefined

  constructor(private readonly read: () => Promise<Ceilings>) {}

  current(): Promise<Ceilings> {
    const reading = (this.held ??= this.read())
    reading.catch(() => {
      if (this.held === reading) this.held = undefined
    })
    return reading
  }

  drop(): void {
    this.held = undefined
  }
}

/** The tenant tree's disk quota in bytes (fsx's QuotaStore reads it at a filesystem's first write). */
export async function diskQuotaBytes(ceilings: () => Promise<Ceilings>): Promise<number> {
  return (await ceilings()).diskMb * 1024 * 1024
}

export async function writeCeilings(kv: KVNamespace, tenantId: string, ceilings: Ceilings): Promise<void> {
  await kv.put(key(tenantId), JSON.stringify(ceilings))
}

/** Refuses the first value above its ceiling, naming the ceiling and who can change it. */
export function assertWithinCeilings(ceilings: Ceilings, asked: Partial<Ceilings>): void {
  for (const name of ['memoryMb', 'cpuCores', 'durationSeconds'] as const) {
    const value = asked[name]
    if (value !== undefined && value > ceilings[name]) {
      throw new FabricError('CEILING_EXCEEDED', `${name} ${value} is above this tenant's ceiling of ${ceilings[name]}; ask for less, or ask the operator to raise the ceiling (PUT /v1/tenants/:id/ceilings)`, {
        ceiling: name,
        limit: ceilings[name],
        asked: value,
      })
    }
  }
}
