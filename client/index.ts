/**
 * `import { createClient } from 'edge-fabric/client'`: a typed client for every
 * route of the HTTP API. Paths, parameters, bodies and answers come from
 * ./openapi.d.ts, generated from the fabric's own GET /openapi.json (npm run
 * client:types), and calls go through openapi-fetch. Runs wherever `fetch`
 * does: Node 22, browsers, and another Worker (pass a service binding's fetch).
 */
import createFetchClient, { type Client } from 'openapi-fetch'
import type { components, paths } from './openapi'

export type { components, paths }

/** A code of the fabric's error registry (types/errors.ts, enumerated in /openapi.json), or HTTP_<status> for an answer that is not the fabric's. */
export type FabricErrorCode = components['schemas']['Error']['error']['code'] | `HTTP_${number}`

/** An error answer of the fabric: the HTTP status and the registry code from `{"error": {code, message, details}}`. */
export class FabricClientError extends Error {
  override readonly name = 'FabricClientError'
  constructor(
    readonly status: number,
    readonly code: FabricErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(`${code}: ${message}`)
  }
}

export interface ClientOptions {
  /** Where the fabric answers, e.g. http://127.0.0.1:8787 (for a service binding, any origin). */
  baseUrl: string
  /** A bearer token (FABRIC_DEV_TOKEN locally, or one issued by POST /v1/tenants/:id/tokens). */
  token: string
  /** Another fetch, e.g. `(request) => env.FABRIC.fetch(request)` from a Worker with a service binding. */
  fetch?: (request: Request) => Promise<Response>
}

export type FabricClient = Client<paths>

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Reads the fabric's error body; anything else (a proxy's HTML page) keeps the status with code HTTP_<status>. */
async function errorOf(response: Response): Promise<FabricClientError> {
  const text = await response.text()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    // The fabric answers only registry codes (its OpenAPI schema enumerates them).
    const code = error.code as FabricErrorCode
    return new FabricClientError(response.status, code, error.message, isRecord(error.details) ? error.details : undefined)
  }
  return new FabricClientError(response.status, `HTTP_${response.status}`, text.slice(0, 200) || response.statusText)
}

/**
 * A client whose GET/PUT/POST/DELETE take the API's paths (`'/v1/agents/{id}'`) with
 * typed `params` and `body`, and answer `{ data, response }`; any status of 400 or
 * more throws a FabricClientError instead of answering.
 */
export function createClient(options: ClientOptions): FabricClient {
  const client = createFetchClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: { authorization: `Bearer ${options.token}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  })
  client.use({
    async onResponse({ response }) {
      if (response.status >= 400) throw await errorOf(response)
      return undefined
    },
  })
  return client
}
