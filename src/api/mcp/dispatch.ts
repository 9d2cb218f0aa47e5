/**
 * How an MCP tool reaches the fabric: as a request to the HTTP route itself,
 * dispatched inside the Worker with the caller's own bearer token and trace.
 * So a tool call meets exactly what curl meets — authentication, scopes, rate
 * limit, body limit, validation, kill switch, policy, budget, WAL — with no
 * second code path to keep in step.
 */

/** The app's own fetch (app.fetch bound to this request's env and context). */
export type AppFetch = (request: Request) => Promise<Response>

export interface RouteAnswer {
  status: number
  /** The parsed JSON body, or the raw text when the route answered bytes. */
  body: unknown
  text: string
}

export interface Dispatcher {
  call(method: string, path: string, body?: unknown): Promise<RouteAnswer>
  /** PUT of raw bytes (the fs route takes the file as its body). */
  put(path: string, bytes: string): Promise<RouteAnswer>
}

/** Headers carried over from the MCP request: the token, and the trace so the tool call continues it. */
const CARRIED = ['authorization', 'traceparent', 'tracestate'] as const

export function dispatcher(fetchApp: AppFetch, outer: Request): Dispatcher {
  const origin = new URL(outer.url).origin
  const headers = (contentType?: string) => {
    const h = new Headers()
    for (const name of CARRIED) {
      const value = outer.headers.get(name)
      if (value) h.set(name, value)
    }
    if (contentType) h.set('content-type', contentType)
    return h
  }
  const answer = async (response: Response): Promise<RouteAnswer> => {
    const text = await response.text()
    let body: unknown = text
    if ((response.headers.get('content-type') ?? '').includes('application/json')) body = JSON.parse(text)
    return { status: response.status, body, text }
  }
  return {
    async call(method, path, body) {
      const init: RequestInit = { method, headers: headers(body === undefined ? undefined : 'application/json') }
      if (body !== undefined) init.body = JSON.stringify(body)
      return answer(await fetchApp(new Request(`${origin}${path}`, init)))
    },
    async put(path, bytes) {
      return answer(await fetchApp(new Request(`${origin}${path}`, { method: 'PUT', headers: headers('application/octet-stream'), body: bytes })))
    },
  }
}

/** `/v1/fs` + the path with each segment percent-encoded, so `a b/c?d` stays one path. */
export function fsPath(path: string, backend: string | undefined): string {
  const encoded = path
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/')
  return `/v1/fs${encoded.startsWith('/') ? '' : '/'}${encoded}${backend ? `?backend=${backend}` : ''}`
}
