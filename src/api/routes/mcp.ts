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
import type { Env } from '../../env'
import type { Context } from 'hono'
import type { AppEnv } from '../app-env'
import { dispatcher } from '../mcp/dispatch'
import { registerTools } from '../mcp/tools'

/** The app's own fetch, so tools reach the routes through every middleware. */
type AppContext = Context<AppEnv>
export type AppFetchWithEnv = (request: Request, env: Env, ctx: AppContext["executionCtx"]) => Promise<Response>

export function mcpRoutes(fetchApp: AppFetchWithEnv, hasPlanRoute: () => boolean): OpenAPIHono<AppEnv> {
  const routes = new OpenAPIHono<AppEnv>()
  routes.all('/mcp', async (c) => {
    const server = new McpServer({ name: 'edge-fabric', version: c.env.FABRIC_VERSION })
    registerTools(server, {
      routes: dispatcher((request) => fetchApp(request, c.env, c.executionCtx), c.req.raw),
      env: c.env,
      auth: c.get('auth'),
      hasPlanRoute: hasPlanRoute(),
    })
    // Stateless (no session id): nothing to keep between requests, any isolate can answer.
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true })
    await server.connect(transport)
    return transport.handleRequest(c.req.raw)
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
