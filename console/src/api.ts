/**
 * The console's only way to the fabric: the typed `edge-fabric/client` with the
 * signed-in token as a bearer header (the same routes and governance as curl).
 * The token lives in sessionStorage: gone when the tab closes.
 */
import { createClient, FabricClientError, type FabricClient } from '../../client/index'

const TOKEN_KEY = 'edge-fabric.token'

export function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY)
}

export function signIn(value: string): void {
  sessionStorage.setItem(TOKEN_KEY, value)
}

export function signOut(): void {
  sessionStorage.removeItem(TOKEN_KEY)
}

export function fabric(): FabricClient {
  return createClient({ baseUrl: location.origin, token: token() ?? '' })
}

/** The agent's status stream: WebSockets cannot send headers, so this one route takes ?token=. */
export function streamSocket(agentId: string, since: number): WebSocket {
  const url = new URL(`/v1/agents/${encodeURIComponent(agentId)}/stream`, location.href)
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:'
  url.searchParams.set('since', String(since))
  url.searchParams.set('token', token() ?? '')
  return new WebSocket(url)
}

/** One line for a failed call: the registry code and the fabric's message. */
export function describeError(error: unknown): string {
  if (error instanceof FabricClientError) return `${error.code} (${error.status}): ${error.message.slice(error.code.length + 2)}`
  return error instanceof Error ? error.message : String(error)
}
