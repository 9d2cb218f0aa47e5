/**
 * Large inputs never sit inline in a row (issue 16, finding 5): D1 and
 * Durable Object SQLite refuse a string over ~2 MB (SQLITE_TOOBIG), and a
 * task's request is stored in the agent's SQLite and summarised into the D1
 * decision audit. So at admission, `stdin`, `args` and `env` over
 * SPILL_THRESHOLD_BYTES go to R2 — content-addressed per tenant, the same
 * way module code is stored — and the stored request keeps a data reference
 * (`spilled.<field> = {ref, bytes}`); the run reads them back just before it
 * starts. The reference names its tenant, and is only ever resolved under the
 * running task's tenant.
 */
import type { ExecRequest } from '../core/exec-request'
import { sha256Hex } from '../core/digest'
import { FabricError } from '../../types/errors'

/** Fields bigger than this (bytes of their JSON) are stored in R2 instead of the row. */
export const SPILL_THRESHOLD_BYTES = 64 * 1024

const SPILLABLE = ['stdin', 'args', 'env'] as const
type Spillable = (typeof SPILLABLE)[number]

export interface DataReference {
  /** `blob:<tenant>/<sha-256>`: the R2 object under `blobs/`. */
  ref: string
  bytes: number
}

/** The request as a task row stores it: big fields replaced by references. */
export type StoredExecRequest = ExecRequest & { spilled?: Partial<Record<Spillable, DataReference>> }

const blobKey = (tenantId: string, hash: string) => `blobs/${tenantId}/${hash}`

/** Moves the fields over the threshold to R2; the rest of the request is unchanged. */
export async function spillLargeInputs(files: R2Bucket, tenantId: string, request: ExecRequest): Promise<StoredExecRequest> {
  const encoder = new TextEncoder()
  let stored: StoredExecRequest = request
  for (const field of SPILLABLE) {
    const value = request[field]
    if (value === undefined) continue
    const bytes = encoder.encode(JSON.stringify(value))
    if (bytes.byteLength <= SPILL_THRESHOLD_BYTES) continue
    const hash = await sha256Hex(bytes)
    await files.put(blobKey(tenantId, hash), bytes)
    const { [field]: _moved, ...rest } = stored
    stored = { ...rest, spilled: { ...stored.spilled, [field]: { ref: `blob:${tenantId}/${hash}`, bytes: bytes.byteLength } } }
  }
  return stored
}

/** The request with its spilled fields read back from R2, for the run. */
export async function restoreSpilledInputs(files: R2Bucket, tenantId: string, stored: StoredExecRequest): Promise<ExecRequest> {
  const { spilled, ...request } = stored
  if (!spilled) return request
  const restored: ExecRequest = { ...request }
  for (const field of SPILLABLE) {
    const reference = spilled[field]
    if (!reference) continue
    const prefix = `blob:${tenantId}/`
    if (!reference.ref.startsWith(prefix)) throw new FabricError('NOT_FOUND', `no data reference ${reference.ref} in this tenant`)
    const object = await files.get(blobKey(tenantId, reference.ref.slice(prefix.length)))
    if (!object) throw new FabricError('NOT_FOUND', `the ${field} of this task (${reference.ref}) is no longer stored; submit the task again`)
    const value: unknown = JSON.parse(await object.text())
    Object.assign(restored, { [field]: value })
  }
  return restored
}
