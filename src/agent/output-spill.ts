/**
 * Large results never sit inline in a task row (issue 16, finding 5): a
 * finished attempt's stdout or stderr over OUTPUT_SPILL_BYTES is written to
 * R2 at `blobs/<tenant>/tasks/<taskId>/<stream>` before the outcome is
 * recorded, and the row keeps `result.outputRefs.<stream> = {ref, bytes}`
 * with the stream itself ''. `GET /v1/tasks/:id` reads them back (and the
 * response is redacted like any other); listings show the references.
 *
 * The keys are the task's own (not content-addressed): a retry overwrites
 * them, and nothing else refers to them, so when the agent purges a
 * finished task's row (FINISHED_TASK_RETENTION_MS after it finished) it
 * deletes the task's output blobs too (`collectOutputBlobs`).
 */
import type { ExecResult } from '../../types/execution'
import { FabricError } from '../../types/errors'
import { z } from 'zod'

export const OUTPUT_SPILL_BYTES = 64 * 1024

const STREAMS = ['stdout', 'stderr'] as const
const PREFIX = 'blob:'

const outputKey = (tenantId: string, taskId: string, stream: string) => `blobs/${tenantId}/tasks/${taskId}/${stream}`

/** The result with its large streams moved to R2. */
export async function spillLargeOutputs(files: R2Bucket, tenantId: string, taskId: string, result: ExecResult): Promise<ExecResult> {
  let stored = result
  for (const stream of STREAMS) {
    const bytes = new TextEncoder().encode(result[stream])
    if (bytes.byteLength <= OUTPUT_SPILL_BYTES) continue
    const key = outputKey(tenantId, taskId, stream)
    await files.put(key, bytes)
    stored = { ...stored, [stream]: '', outputRefs: { ...stored.outputRefs, [stream]: { ref: `${PREFIX}${key.slice('blobs/'.length)}`, bytes: bytes.byteLength } } }
  }
  return stored
}

const ReferenceSchema = z.object({ ref: z.string(), bytes: z.number() })

/** A task view whose stored result has spilled streams (anything else is answered as it is). */
const SpilledViewSchema = z
  .object({
    tenantId: z.string(),
    result: z.object({ outputRefs: z.object({ stdout: ReferenceSchema.optional(), stderr: ReferenceSchema.optional() }) }).passthrough(),
  })
  .passthrough()

/** The task view with its result's spilled streams read back; a reference outside the task's tenant is refused. */
export async function resolveTaskOutputs<V>(files: R2Bucket, view: V): Promise<V> {
  const parsed = SpilledViewSchema.safeParse(view)
  if (!parsed.success) return view
  const { tenantId, result } = parsed.data
  const streams: Partial<Record<(typeof STREAMS)[number], string>> = {}
  for (const stream of STREAMS) {
    const reference = result.outputRefs[stream]
    if (!reference) continue
    if (!reference.ref.startsWith(`${PREFIX}${tenantId}/tasks/`)) throw new FabricError('NOT_FOUND', `no data reference ${reference.ref} in this tenant`)
    const object = await files.get(`blobs/${reference.ref.slice(PREFIX.length)}`)
    if (!object) throw new FabricError('NOT_FOUND', `the ${stream} of this task (${reference.ref}) is no longer stored (purged with the task)`)
    streams[stream] = await object.text()
  }
  return Object.assign({}, view, { result: { ...result, ...streams } })
}

/** Deletes the output blobs of purged tasks (called in the background after a purge). */
export async function collectOutputBlobs(files: R2Bucket, tenantId: string, taskIds: readonly string[]): Promise<void> {
  const keys = taskIds.flatMap((taskId) => STREAMS.map((stream) => outputKey(tenantId, taskId, stream)))
  for (let start = 0; start < keys.length; start += 1000) await files.delete(keys.slice(start, start + 1000))
}
