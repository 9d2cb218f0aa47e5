/**
 * `/mcp`: the fabric as a Model Context Protocol server (Streamable HTTP
 * transport, stateless: every POST carries its own JSON-RPC exchange and is
 * answered as JSON), built on the official @modelcontextprotocol/sdk. Bearer
 * auth and the rate and body limits run first (app.ts); each tool then calls
 * the matching HTTP route with the caller's token (../mcp/dispatch.ts).
 */
import { OpenAPIHono, z } from '@hono/zod-openapi'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'
import { FabricError } from '../../../types/errors'
import type { Env } from '../../env'
import type { Context } from 'hono'
import type { AppEnv } from '../app-env'
import { dispatcher } from '../mcp/dispatch'
import { registerTools } from '../mcp/tools'

/** The app's own fetch, so tools reach the routes through every middleware. */
type AppContext = Context<AppEnv>
export type AppFetchWithEnv = (request: Request, env: Env, ctx: AppContext["executionCtx"]) => Promise<Response>

/** JSON-RPC's parse error: the body was not JSON. */
const PARSE_ERROR = -32700

/**
 * The transport refuses at the HTTP level (wrong Accept or Content-Type, unparsable
 * body) with a JSON-RPC error body;
 * like every other route, /mcp answers a refusal with a registry code instead,
 * keeping the JSON-RPC error in the details. MCP clients read only the status here.
 */
async function refusalOf(answer: Response): Promise<never> {
  const text = await answer.text()
  let rpc: { error?: { code?: number; message?: string } } = {}
  try {
    rpc = JSON.parse(text) as typeof rpc
  } catch {
    // not JSON: the status and text are all there is
  }
  const message = `MCP: ${rpc.error?.message ?? (text.slice(0, 200) || `HTTP ${answer.status}`)}`
  const details = { mcpStatus: answer.status, ...(rpc.error ? { jsonrpc: rpc.error } : {}) }
  throw new FabricError(rpc.error?.code === PARSE_ERROR ? 'INVALID_JSON' : 'BAD_REQUEST', message, details)
}

export function mcpRoutes(fetchApp: AppFetchWithEnv): OpenAPIHono<AppEnv> {
  const routes = new OpenAPIHono<AppEnv>()
  routes.all('/mcp', async (c) => {
    // Stateless: no session to resume or end, and no server-initiated stream (GET would hold an SSE connection open for nothing).
    if (c.req.method !== 'POST') throw new FabricError('METHOD_NOT_ALLOWED', `${c.req.method} /mcp: this MCP server is stateless; POST JSON-RPC messages to /mcp`)
    const server = new McpServer({ name: 'edge-fabric', version: c.env.FABRIC_VERSION })
    registerTools(server, {
      routes: dispatcher((request) => fetchApp(request, c.env, c.executionCtx), c.req.raw),
      env: c.env,
      auth: c.get('auth'),
    })
    // Stateless (no session id): nothing to keep between requests, any isolate can answer.
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true })
    await server.connect(transport)
    const answer = await transport.handleRequest(c.req.raw)
    return answer.status < 400 ? answer : refusalOf(answer)
  })
  routes.openAPIRegistry.registerPath({
    method: 'post',
    path: '/mcp',
    security: [{ bearer: [] }],
    description: 'MCP Streamable HTTP endpoint (JSON-RPC 2.0): tools exec, read_file, write_file, list_dir, submit_task, get_task, plan',
    request: { body: { content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } } },
    responses: { 200: { description: 'The JSON-RPC answer' }, 202: { description: 'A notification, accepted' } },
  })
  return routes
}
