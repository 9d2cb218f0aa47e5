/**
 * The bindings and vars the fabric Worker runs with (wrangler.toml, .dev.vars).
 * Keep this the one place that names them, so a missing binding is a type error.
 */
export interface Env {
  DB: D1Database
  FILES: R2Bucket
  KV: KVNamespace
  /** One Durable Object per saga, named `${tenantId}:${sagaId}`. */
  SAGA: DurableObjectNamespace<import('./runtime/saga/saga-do').SagaDO>
  FABRIC_VERSION: string
  /** 'local' in wrangler dev and tests, 'production' when deployed. */
  FABRIC_ENV: string
  MAX_BODY_BYTES: string
  /** Effect for actions no policy rule matches, in tenants that set no default: allow | deny | require_approval (unset → deny). */
  POLICY_DEFAULT_EFFECT?: string
  /** Local dev only: this token authenticates as admin of tenant `dev`. */
  FABRIC_DEV_TOKEN?: string
}
