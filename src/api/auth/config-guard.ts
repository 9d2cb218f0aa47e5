/**
 * The production guard: a deployed fabric must not honour a development
 * credential. When FABRIC_ENV is anything but 'local' (production, staging, a
 * typo) and a dev token is configured,
 * every request (HTTP and RPC) is refused with INSECURE_CONFIG until the
 * secret is removed — better down than open.
 */
import type { Env } from '../../env'
import { FabricError } from '../../../types/errors'

export function insecureConfigReason(env: Pick<Env, 'FABRIC_ENV' | 'FABRIC_DEV_TOKEN'>): string | undefined {
  if (env.FABRIC_ENV === 'local') return undefined
  if (env.FABRIC_DEV_TOKEN) {
    return `FABRIC_DEV_TOKEN is set while FABRIC_ENV is '${env.FABRIC_ENV}'; remove it (wrangler secret delete FABRIC_DEV_TOKEN) and issue tenant tokens instead`
  }
  return undefined
}

export function assertSecureConfig(env: Pick<Env, 'FABRIC_ENV' | 'FABRIC_DEV_TOKEN'>): void {
  const reason = insecureConfigReason(env)
  if (reason) throw new FabricError('INSECURE_CONFIG', `refusing to serve: ${reason}`)
}
