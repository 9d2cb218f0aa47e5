/** Reading request bodies (size-capped, zod-validated) and writing JSON replies. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { z } from 'zod'
import { FabricError } from '../../types/errors.ts'

/** JSON bodies carry commands, env and stdin; files travel as raw bodies (see PUT …/file). */
export const MAX_JSON_BODY_BYTES = 24 * 1024 * 1024

export async function readJson<S extends z.ZodType>(req: IncomingMessage, schema: S): Promise<z.infer<S>> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_JSON_BODY_BYTES) {
      throw new FabricError('PAYLOAD_TOO_LARGE', `the request body is over ${MAX_JSON_BODY_BYTES} bytes; send files with PUT …/file`)
    }
    chunks.push(chunk)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  let body: unknown
  try {
    body = text.trim() === '' ? {} : JSON.parse(text)
  } catch {
    throw new FabricError('INVALID_ARGUMENT', 'the request body is not valid JSON')
  }
  return parseWith(schema, body)
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }))
    const summary = issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ')
    throw new FabricError('INVALID_ARGUMENT', `invalid request: ${summary}`, { issues })
  }
  return parsed.data
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

export function sendError(res: ServerResponse, error: FabricError): void {
  if (res.headersSent) {
    res.destroy(error)
    return
  }
  sendJson(res, error.status, {
    error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
  })
}
