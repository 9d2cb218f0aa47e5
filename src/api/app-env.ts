/** Hono's typing for the fabric app: bindings plus what middleware puts on the context. */
import type { Env } from '../env'
import type { TraceContext } from '../core/trace'

export type Scope = 'admin' | 'agent' | 'read'

export interface AuthContext {
  tenantId: string
  scopes: Scope[]
  /** Id of the token used (never its value), for audit. */
  tokenId: string
}

export interface AppEnv {
  Bindings: Env
  Variables: {
    auth: AuthContext
    trace: TraceContext
    requestId: string
  }
}
