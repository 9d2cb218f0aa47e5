/**
 * The service-binding entrypoint: other Workers bind to `FabricEntrypoint`
 * and call typed RPC methods with the same semantics as the HTTP API.
 *
 *   const fabric = await env.FABRIC.openSession(token)
 *   const result = await fabric.exec({ command: 'ls /' })
 *
 * `openSession` authenticates once (not `connect`: that name is taken by
 * the sockets API on every service binding) and returns a session bound to that tenant,
 * so every later call is authenticated without passing the token again.
 */
import { WorkerEntrypoint } from 'cloudflare:workers'
import { resolveToken } from '../api/auth/tokens'
import type { Env } from '../env'
import { FabricError } from '../../types/errors'
import { meterBindings } from '../telemetry/billable'
import { metrics } from '../telemetry/metrics/recorder'
import { withCodedErrors } from './errors'
import { FabricSession } from './session'

export class FabricEntrypoint extends WorkerEntrypoint<Env> {
  openSession(token: string): Promise<FabricSession> {
    return withCodedErrors(async () => {
      const auth = typeof token === 'string' ? await resolveToken(this.env, token) : undefined
      if (!auth) throw new FabricError('UNAUTHORIZED', 'unknown or revoked token')
      // As for HTTP (middleware/billable.ts): every unit the session spends is counted for its tenant.
      return new FabricSession(meterBindings(this.env, auth.tenantId, metrics(this.env)), auth, (work) => this.ctx.waitUntil(work))
    })
  }
}
