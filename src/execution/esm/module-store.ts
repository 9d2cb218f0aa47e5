/**
 * Where modules live: code content-addressed in R2 (`modules/<sha-256>`,
 * written once, shared by every name and tenant that uploads the same bytes)
 * and each tenant's names in D1 (name → current hash, kind, entry, size,
 * egress, limits, created). Reads go through the metadata cache.
 */
import { z } from 'zod'
import type { ESMModule } from '../../../types/execution'
import { moduleMetadata } from './metadata-cache'
import { codeKey } from './module-code'
import { ModuleLimitsSchema } from './module-schema'

/** The bindings the store needs (a subset of Env, so tests and callers pass only these). */
export interface ModuleStoreBindings {
  DB: D1Database
  FILES: R2Bucket
}

/** A TEXT column holding JSON that must match `schema`. */
const JsonText = <T extends z.ZodType>(schema: T) => z.string().transform((text): unknown => JSON.parse(text)).pipe(schema)

const ModuleRowSchema = z.object({
  name: z.string(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  kind: z.enum(['esm', 'wasm']),
  entry: z.string().nullable(),
  size: z.number().int(),
  egress: JsonText(z.array(z.string())),
  limits: JsonText(ModuleLimitsSchema).nullable(),
  created_at: z.string(),
})

function toModule(row: unknown): ESMModule {
  const parsed = ModuleRowSchema.parse(row)
  return {
    name: parsed.name,
    hash: parsed.hash,
    kind: parsed.kind,
    ...(parsed.entry !== null ? { entry: parsed.entry } : {}),
    size: parsed.size,
    createdAt: parsed.created_at,
    egress: parsed.egress,
    ...(parsed.limits !== null ? { limits: parsed.limits } : {}),
  }
}

const COLUMNS = 'name, hash, kind, entry, size, egress, limits, created_at'

export async function findModule(bindings: ModuleStoreBindings, tenantId: string, name: string): Promise<ESMModule | null> {
  const cached = moduleMetadata.get(tenantId, name)
  if (cached !== undefined) return cached
  const row = await bindings.DB.prepare(`SELECT ${COLUMNS} FROM modules WHERE tenant_id = ? AND name = ?`).bind(tenantId, name).first()
  const module = row ? toModule(row) : null
  moduleMetadata.set(tenantId, name, module)
  return module
}

export async function listModules(bindings: ModuleStoreBindings, tenantId: string): Promise<ESMModule[]> {
  const { results } = await bindings.DB.prepare(`SELECT ${COLUMNS} FROM modules WHERE tenant_id = ? ORDER BY name`).bind(tenantId).all()
  return results.map(toModule)
}

/** Stores the code (once per hash) and points the tenant's name at it. */
export async function saveModule(bindings: ModuleStoreBindings, tenantId: string, module: ESMModule, code: Uint8Array): Promise<void> {
  const key = codeKey(module.hash)
  if (!(await bindings.FILES.head(key))) {
    await bindings.FILES.put(key, code, { customMetadata: { kind: module.kind } })
  }
  await bindings.DB.prepare(
    `INSERT INTO modules (tenant_id, ${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (tenant_id, name) DO UPDATE SET hash = excluded.hash, kind = excluded.kind, entry = excluded.entry,
       size = excluded.size, egress = excluded.egress, limits = excluded.limits, created_at = excluded.created_at`,
  )
    .bind(
      tenantId,
      module.name,
      module.hash,
      module.kind,
      module.entry ?? null,
      module.size,
      JSON.stringify(module.egress),
      module.limits ? JSON.stringify(module.limits) : null,
      module.createdAt,
    )
    .run()
  moduleMetadata.invalidate(tenantId, module.name)
}

export class ModuleCodeMissing extends Error {
  override readonly name = 'ModuleCodeMissing'
}

/** The stored code of a version; read only when the loader starts a cold isolate. */
export async function loadCode(bindings: ModuleStoreBindings, hash: string): Promise<Uint8Array> {
  const object = await bindings.FILES.get(codeKey(hash))
  if (!object) throw new ModuleCodeMissing(`the code of module version ${hash} is missing from R2 (${codeKey(hash)}); upload the module again`)
  return new Uint8Array(await object.arrayBuffer())
}
