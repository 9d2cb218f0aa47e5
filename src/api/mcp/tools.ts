/**
 * The fabric's MCP tools. Each is a thin call of the HTTP route that does the
 * same thing (see dispatch.ts), so governance is the route's own; a refusal
 * (403 policy, 429 budget, 400 validation …) comes back as a tool error
 * (`isError: true`) whose text starts with the registry code.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { z } from 'zod'
import { ExecRequestSchema } from '../../core/exec-request'
import type { AuthContext } from '../app-env'
import { assertScope } from '../auth/scopes'
import type { Env } from '../../env'
import { fsPath, type Dispatcher, type RouteAnswer } from './dispatch'

type ToolResult = { content: { type: 'text'; text: string }[]; isError?: boolean }

const backend = z.enum(['memory', 'r2', 'kv']).optional().describe('Where the files live (default r2)')
const tier = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).optional()

const text = (...parts: string[]): ToolResult => ({ content: parts.map((t) => ({ type: 'text' as const, text: t })) })

/** A route's refusal as a tool error: `CODE: message`, then the whole error body. */
function refusal(answer: RouteAnswer): ToolResult {
  const error = (answer.body as { error?: { code?: string; message?: string } } | undefined)?.error
  const head = error?.code ? `${error.code}: ${error.message ?? ''}` : `HTTP ${answer.status}: ${answer.text.slice(0, 500)}`
  return { content: [{ type: 'text', text: head }, { type: 'text', text: answer.text }], isError: true }
}

function json(answer: RouteAnswer): ToolResult {
  return answer.status >= 400 ? refusal(answer) : text(JSON.stringify(answer.body))
}

export interface ToolContext {
  routes: Dispatcher
  env: Env
  auth: AuthContext
}

export function registerTools(server: McpServer, { routes }: ToolContext): void {
  server.registerTool(
    'exec',
    { description: 'Run a shell command line (or an operation with args) through POST /v1/exec: policy, budget and WAL apply. Answers stdout, then the ExecResult as JSON.', inputSchema: ExecRequestSchema },
    async (input) => {
      const answer = await routes.call('POST', '/v1/exec', input)
      if (answer.status >= 400) return refusal(answer)
      const result = answer.body as { ok: boolean; stdout: string }
      return { content: [{ type: 'text', text: result.stdout }, { type: 'text', text: answer.text }], isError: !result.ok }
    },
  )
  server.registerTool(
    'read_file',
    { description: "Read a file of the tenant's fsx (GET /v1/fs/<path>) as UTF-8 text.", inputSchema: { path: z.string().min(1), backend } },
    async ({ path, backend: b }) => {
      const answer = await routes.call('GET', fsPath(path, b))
      if (answer.status >= 400) return refusal(answer)
      return typeof answer.body === 'string' ? text(answer.text) : text(`${path} is a directory: ${answer.text}`)
    },
  )
  server.registerTool(
    'write_file',
    { description: 'Write a UTF-8 file, creating parent directories (PUT /v1/fs/<path>).', inputSchema: { path: z.string().min(1), content: z.string(), backend } },
    async ({ path, content, backend: b }) => json(await routes.put(fsPath(path, b), content)),
  )
  server.registerTool(
    'list_dir',
    { description: 'List a directory (GET /v1/fs/<path> on a directory): names, types and sizes as JSON.', inputSchema: { path: z.string().min(1), backend } },
    async ({ path, backend: b }) => {
      const answer = await routes.call('GET', fsPath(path, b))
      if (answer.status < 400 && typeof answer.body === 'string') return { content: [{ type: 'text', text: `ENOTDIR: ${path} is a file, not a directory` }], isError: true }
      return json(answer)
    },
  )
  server.registerTool(
    'submit_task',
    {
      description: "Queue a command line as a task on an agent (POST /v1/agents/<id>/tasks). Answers the TaskHandle; follow it with get_task.",
      inputSchema: { agentId: z.string().min(1), command: z.string().min(1), priority: z.enum(['critical', 'high', 'normal', 'low']).optional(), tier },
    },
    async ({ agentId, ...task }) => json(await routes.call('POST', `/v1/agents/${encodeURIComponent(agentId)}/tasks`, task)),
  )
  server.registerTool(
    'get_task',
    { description: 'A task: status, attempts and result (GET /v1/tasks/<id>); wait long-polls up to 60 s for it to end.', inputSchema: { taskId: z.string().min(1), wait: z.number().min(0).max(60).optional() } },
    async ({ taskId, wait }) => json(await routes.call('GET', `/v1/tasks/${encodeURIComponent(taskId)}${wait === undefined ? '' : `?wait=${wait}`}`)),
  )
  server.registerTool(
    'plan',
    { description: 'How a command line would be routed — each stage\'s tier or the whole line on tier 4, why, and the estimated cost per tier — without running it (POST /v1/exec/plan).', inputSchema: { command: z.string().min(1).max(65_536) } },
    async ({ command }) => json(await routes.call('POST', '/v1/exec/plan', { command })),
  )
}
