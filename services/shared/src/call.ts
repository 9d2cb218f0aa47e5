/**
 * What every tier-2 service does around its work: parse the request (RPC
 * arguments cross a Worker boundary), refuse a call whose caller has already
 * given up (its deadline passed), and log failures as one JSON line carrying
 * the caller's traceparent, so a service-side error can be found from the
 * fabric's trace.
 */
import type { z } from 'zod'

/** What a command-like service prints and how it exits (the fabric builds an ExecResult from it). */
export interface CommandOutput {
  stdout: string
  stderr: string
  exitCode: number
}

export interface CallMeta {
  traceparent?: string | undefined
  deadline?: number | undefined
}

class DeadlinePassed extends Error {
  override readonly name = 'DeadlinePassed'
}

/**
 * Parses an RPC request, or throws an Error whose own message lists the bad
 * fields (a ZodError's message does not survive the trip back over RPC).
 */
export function parseRequest<S extends z.ZodType>(schema: S, request: unknown, where: string): z.infer<S> {
  const parsed = schema.safeParse(request)
  if (parsed.success) return parsed.data
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(request)'}: ${issue.message}`)
  throw new TypeError(`${where}: invalid request: ${issues.join('; ')}`)
}

export async function serveCall(service: string, method: string, meta: CallMeta, work: () => Promise<CommandOutput>): Promise<CommandOutput> {
  const log = (fields: Record<string, unknown>) =>
    console.log(JSON.stringify({ service, method, traceparent: meta.traceparent, ...fields }))
  if (meta.deadline !== undefined && Date.now() > meta.deadline) {
    log({ level: 'warn', msg: 'deadline already passed; not started' })
    throw new DeadlinePassed(`${service}.${method}: the caller's deadline passed before the call started`)
  }
  try {
    return await work()
  } catch (thrown) {
    log({ level: 'error', msg: 'call threw', error: thrown instanceof Error ? thrown.message : String(thrown) })
    throw thrown
  }
}
