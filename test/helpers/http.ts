/** Calls the fabric's HTTP API in-process (the Worker's real fetch handler, real bindings). */
import { exports } from 'cloudflare:workers'

export const DEV_TOKEN = 'test-dev-token'

export interface CallOptions {
  token?: string | null
  body?: unknown
  rawBody?: BodyInit
  headers?: Record<string, string>
}

export function call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers)
  const token = options.token === undefined ? DEV_TOKEN : options.token
  if (token !== null) headers.set('authorization', `Bearer ${token}`)
  let body: BodyInit | undefined = options.rawBody
  if (options.body !== undefined) {
    headers.set('content-type', 'application/json')
    body = JSON.stringify(options.body)
  }
  return exports.default.fetch(new Request(`http://fabric.test${path}`, { method, headers, body }))
}

export async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T
}
