/**
 * Data references and provenance (seed 004's data brain, MVP): every
 * accepted execution registers the files it reads and writes — references
 * only, never contents — and `provenance(ref)` answers who wrote and read a
 * reference, how each of those executions ended, and, for writers, the
 * references they read in turn (lineage, to a bounded depth).
 *
 * References are registered from the actions the policy decision covered, at
 * acceptance (so a refused execution registers nothing); the outcome of each
 * execution is read from the WAL at query time.
 */
import { redact } from '../telemetry/redact'
import { newId } from '../core/ids'
import type { D1Record } from '../wal/records'

export const MAX_LINEAGE_DEPTH = 5

export interface ReferenceUse {
  executionId: string
  at: string
  /** Final task status from the WAL, or `in_progress` while none is recorded. */
  status: string
  agentId?: string
  kind?: string
}

export interface ProvenanceNode {
  ref: string
  writes: Array<ReferenceUse & { inputs: ProvenanceNode[] }>
  reads: ReferenceUse[]
}

interface RefRow {
  ref: string
  execution_id: string
  direction: 'read' | 'write'
  metadata: string
  created_at: string
}

/** The records registering an execution's references from its policy actions (written with its audit row). */
export function referenceRecords(tenantId: string, executionId: string, actions: readonly string[], metadata: Record<string, unknown>): D1Record[] {
  const at = new Date().toISOString()
  const meta = JSON.stringify(redact(metadata))
  const records: D1Record[] = []
  for (const action of new Set(actions)) {
    const direction = action.startsWith('fs:read:') ? 'read' : action.startsWith('fs:write:') ? 'write' : undefined
    if (!direction) continue
    records.push({
      table: 'data_references',
      values: [newId('ref'), tenantId, action.slice(`fs:${direction}:`.length), 'file', executionId, direction, meta, at],
    })
  }
  return records
}

async function outcomes(db: D1Database, tenantId: string, executionIds: string[]): Promise<Map<string, string>> {
  if (executionIds.length === 0) return new Map()
  const placeholders = executionIds.map((_, i) => `?${i + 2}`).join(',')
  const { results } = await db
    .prepare(
      `SELECT execution_id, type FROM wal_events WHERE tenant_id = ?1 AND execution_id IN (${placeholders})
         AND type IN ('task.completed', 'task.failed', 'task.cancelled') ORDER BY id`,
    )
    .bind(tenantId, ...executionIds)
    .all<{ execution_id: string; type: string }>()
  return new Map(results.map((r) => [r.execution_id, r.type.slice('task.'.length)]))
}

function use(row: RefRow, status: Map<string, string>): ReferenceUse {
  const metadata = JSON.parse(row.metadata) as { agentId?: string; kind?: string }
  return {
    executionId: row.execution_id,
    at: row.created_at,
    status: status.get(row.execution_id) ?? 'in_progress',
    ...(metadata.agentId ? { agentId: metadata.agentId } : {}),
    ...(metadata.kind ? { kind: metadata.kind } : {}),
  }
}

/**
 * Who wrote and read `ref`, newest first, with the inputs of each writer
 * followed `depth` levels back (an input's writers only up to the time the
 * reader registered it).
 */
export async function provenance(db: D1Database, tenantId: string, ref: string, depth: number, asOf?: string): Promise<ProvenanceNode> {
  const { results } = await db
    .prepare(
      `SELECT ref, execution_id, direction, metadata, created_at FROM data_references
       WHERE tenant_id = ?1 AND ref = ?2 AND (?3 IS NULL OR created_at <= ?3) ORDER BY created_at DESC, id LIMIT 100`,
    )
    .bind(tenantId, ref, asOf ?? null)
    .all<RefRow>()
  const status = await outcomes(db, tenantId, [...new Set(results.map((r) => r.execution_id))])
  const node: ProvenanceNode = { ref, writes: [], reads: [] }
  for (const row of results) {
    if (row.direction === 'read') {
      node.reads.push(use(row, status))
      continue
    }
    const inputs: ProvenanceNode[] = []
    if (depth > 0) {
      const { results: read } = await db
        .prepare(`SELECT DISTINCT ref FROM data_references WHERE tenant_id = ?1 AND execution_id = ?2 AND direction = 'read' AND ref <> ?3 ORDER BY ref`)
        .bind(tenantId, row.execution_id, ref)
        .all<{ ref: string }>()
      for (const input of read) inputs.push(await provenance(db, tenantId, input.ref, depth - 1, row.created_at))
    }
    node.writes.push({ ...use(row, status), inputs })
  }
  return node
}
