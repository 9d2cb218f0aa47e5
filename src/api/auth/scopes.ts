/** Scope checks shared by the HTTP middleware and the RPC session: admin implies every scope. */
import { FabricError } from '../../../types/errors'
import type { AuthContext, Scope } from '../app-env'

export function assertScope(auth: AuthContext, scope: Scope): void {
  if (!auth.scopes.includes(scope) && !auth.scopes.includes('admin')) {
    throw new FabricError('FORBIDDEN', `this token lacks the '${scope}' scope`)
  }
}
