/**
 * Revoking or rotating a token ends the status streams it opened. A stream is
 * authenticated once, at the upgrade, so nothing on it would notice the
 * revocation; this asks every agent of the tenant (the D1 directory, a page
 * at a time) to close the sockets tagged with the token's id. It does not
 * depend on how token lookups are cached.
 */
import type { Env } from '../env'
import { listDirectory } from './directory'
import { agentStub } from './router'

const PAGE = 200

/** Closes every open stream of `tokenId` in `tenantId`; answers how many were closed. */
export async function closeTokenStreams(env: Env, tenantId: string, tokenId: string): Promise<number> {
  let closed = 0
  let after: string | undefined
  for (;;) {
    const page = await listDirectory(env.DB, tenantId, { limit: PAGE, ...(after ? { after } : {}) })
    const counts = await Promise.all(page.map((agent) => agentStub(env, tenantId, agent.id).closeStreamsOf(tenantId, tokenId)))
    closed += counts.reduce((sum, n) => sum + n, 0)
    if (page.length < PAGE) return closed
    after = page[page.length - 1]?.id
  }
}
