/**
 * The admin-audit call every administrative route makes after a state change:
 * the caller's token, trace and request id come from the Hono context, so a
 * route passes only what changed.
 */
import type { Context } from 'hono'
import { auditAdminAction, type AdminAction } from '../telemetry/admin-audit'
import type { AppEnv } from './app-env'

/** Records an administrative change as an `admin.action` WAL event, attributed to the caller's token. */
export async function auditChange(c: Context<AppEnv>, entry: Omit<AdminAction, 'actor' | 'traceId' | 'requestId' | 'tenantId'> & { tenantId?: string }): Promise<void> {
  const auth = c.get('auth')
  await auditAdminAction(c.env.DB, {
    ...entry,
    tenantId: entry.tenantId ?? auth.tenantId,
    actor: { tenantId: auth.tenantId, tokenId: auth.tokenId },
    traceId: c.get('trace').traceId,
    requestId: c.get('requestId'),
  })
}
