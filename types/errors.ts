/**
 * The one error registry of edge-fabric. Every code any part of the system can
 * raise or return — the API, governance, the agent's queue, the execution
 * tiers and sandboxd — is defined here once, with:
 *  - `status`: the HTTP status the API (and sandboxd) answers with;
 *  - `retriable`: whether the same call may succeed later or elsewhere (the
 *    router falls back to the next capable tier only on retriable failures);
 *  - `raisedBy`: the layers allowed to raise it (checked by test/core);
 *  - `meaning`: one line for docs/errors.md and the OpenAPI description.
 * The HTTP mapping, the OpenAPI error schema and docs/errors.md derive from it.
 *
 * Plain, erasable TypeScript with no imports: sandboxd (Node, type stripping)
 * imports it as it is.
 */

/** Who may raise a code. `execution` covers every tier and fsx; `sandboxd` the local sandbox daemon. */
export type ErrorLayer = 'api' | 'governance' | 'agent' | 'execution' | 'sandboxd'

export interface ErrorSpec {
  readonly status: number
  readonly retriable: boolean
  readonly raisedBy: readonly ErrorLayer[]
  readonly meaning: string
}

export const ERROR_CODES = {
  // requests and input
  UNAUTHORIZED: { status: 401, retriable: false, raisedBy: ['api', 'sandboxd'], meaning: 'No valid bearer token (or sandboxd secret) came with the request.' },
  FORBIDDEN: { status: 403, retriable: false, raisedBy: ['api', 'governance'], meaning: "The token's scope or tenant does not allow this operation." },
  NOT_FOUND: { status: 404, retriable: false, raisedBy: ['api', 'agent', 'governance', 'sandboxd'], meaning: 'No such route, or no such resource for this tenant.' },
  METHOD_NOT_ALLOWED: { status: 405, retriable: false, raisedBy: ['api'], meaning: 'The path exists but not with this method; the Allow header lists the methods.' },
  CONFLICT: { status: 409, retriable: false, raisedBy: ['api', 'agent', 'governance', 'execution'], meaning: 'The resource already exists or an idempotency key was reused with another request.' },
  INVALID_STATE: { status: 409, retriable: false, raisedBy: ['api', 'agent', 'governance'], meaning: 'The resource is not in a state that allows this (e.g. resuming a running agent).' },
  BAD_REQUEST: { status: 400, retriable: false, raisedBy: ['api', 'agent', 'governance'], meaning: 'The request is malformed in a way no field check names.' },
  VALIDATION_ERROR: { status: 400, retriable: false, raisedBy: ['api', 'agent', 'governance', 'execution'], meaning: 'A field of the body or query is missing or invalid; details name it.' },
  INVALID_JSON: { status: 400, retriable: false, raisedBy: ['api'], meaning: 'The body is not valid JSON.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, retriable: false, raisedBy: ['api'], meaning: 'A route that takes a JSON body got another Content-Type (or none); send Content-Type: application/json.' },
  PAYLOAD_TOO_LARGE: { status: 413, retriable: false, raisedBy: ['api', 'sandboxd', 'execution'], meaning: 'The body is over the size limit.' },
  LIMIT_EXCEEDED: { status: 413, retriable: false, raisedBy: ['api', 'agent', 'execution'], meaning: 'A field or a run is over its size or count limit (command length, args, env, loop iterations …).' },
  RATE_LIMITED: { status: 429, retriable: true, raisedBy: ['api'], meaning: "The tenant's request rate limit; Retry-After says when to try again." },
  EGRESS_DENIED: { status: 403, retriable: false, raisedBy: ['api', 'governance'], meaning: 'An egress grant names an internal destination (loopback, private, CGNAT, link-local, multicast, unspecified) the operator did not open (EGRESS_ALLOW_INTERNAL_HOSTS).' },
  EGRESS_NOT_GRANTED: { status: 403, retriable: false, raisedBy: ['api', 'governance'], meaning: 'No policy rule allows the egress grant net:<host>:<port>; the tenant default does not open the network to an agent token.' },
  CEILING_EXCEEDED: { status: 403, retriable: false, raisedBy: ['api', 'agent'], meaning: "A resource limit asked above the tenant's ceiling (memoryMb, cpuCores, durationSeconds); details name the ceiling." },
  INSECURE_CONFIG: { status: 503, retriable: false, raisedBy: ['api'], meaning: 'The deployment is configured unsafely (e.g. a dev token in production) and refuses to serve.' },
  PARSE_ERROR: { status: 400, retriable: false, raisedBy: ['api', 'execution', 'governance'], meaning: 'The command line does not parse; details say where.' },
  INVALID_ARGUMENT: { status: 400, retriable: false, raisedBy: ['execution', 'sandboxd'], meaning: 'An argument of the operation is invalid.' },
  // filesystem (POSIX-flavoured); a path that escapes its root is bad input (400), not an authorisation question
  EINVAL: { status: 400, retriable: false, raisedBy: ['api', 'execution', 'sandboxd'], meaning: 'An invalid path or file operation.' },
  EACCES: { status: 400, retriable: false, raisedBy: ['api', 'execution', 'sandboxd', 'governance'], meaning: 'The path escapes its root, crosses a symlink, or an fs: policy rule refuses it.' },
  ENOENT: { status: 404, retriable: false, raisedBy: ['api', 'execution', 'sandboxd'], meaning: 'No such file or directory.' },
  EEXIST: { status: 409, retriable: false, raisedBy: ['api', 'execution'], meaning: 'The path already exists.' },
  ENOTDIR: { status: 400, retriable: false, raisedBy: ['api', 'execution', 'sandboxd'], meaning: 'A parent of the path is not a directory.' },
  EISDIR: { status: 400, retriable: false, raisedBy: ['api', 'execution', 'sandboxd'], meaning: 'The path is a directory where a file was expected.' },
  ENOTEMPTY: { status: 409, retriable: false, raisedBy: ['api', 'execution'], meaning: 'The directory is not empty.' },
  EFBIG: { status: 413, retriable: false, raisedBy: ['api', 'execution', 'sandboxd'], meaning: 'The file is over the size limit.' },
  DISK_QUOTA_EXCEEDED: { status: 413, retriable: false, raisedBy: ['api', 'execution'], meaning: "A write (or a tier-4 run's sync-back) would take the tenant's file tree over its disk quota (ceiling diskMb); details name the quota." },
  RESERVED_PATH: { status: 400, retriable: false, raisedBy: ['api', 'execution', 'sandboxd'], meaning: "The path lies under a system directory tier 4 mounts over the tenant's root (/usr, /etc, /tmp … see types/sandbox-paths.ts); keep tenant files elsewhere." },
  // execution
  COMMAND_FAILED: { status: 200, retriable: false, raisedBy: ['execution'], meaning: 'The command ran and exited non-zero; the result carries its exit code and stderr.' },
  UNKNOWN_OPERATION: { status: 404, retriable: false, raisedBy: ['execution'], meaning: 'No tier knows the operation.' },
  NOT_SUPPORTED: { status: 501, retriable: true, raisedBy: ['execution'], meaning: 'The tier knows the operation but not this option or form; the router moves up a tier.' },
  TIER_UNAVAILABLE: { status: 503, retriable: true, raisedBy: ['api', 'execution', 'sandboxd'], meaning: 'The tier needed is not configured or not reachable here.' },
  TIMEOUT: { status: 504, retriable: true, raisedBy: ['execution', 'agent'], meaning: 'The execution ran past its timeoutMs; as an ExecResult it is HTTP 200 with exit code 124.' },
  RPC_ERROR: { status: 502, retriable: true, raisedBy: ['execution'], meaning: 'A tier-2 service call failed in transport.' },
  MODULE_ERROR: { status: 422, retriable: false, raisedBy: ['execution'], meaning: 'A tier-3 module threw or returned something invalid.' },
  MODULE_INVALID: { status: 400, retriable: false, raisedBy: ['api', 'execution'], meaning: 'An uploaded module does not compile or is malformed.' },
  MODULE_NOT_FOUND: { status: 404, retriable: false, raisedBy: ['api', 'execution'], meaning: 'No module by that name for this tenant.' },
  WORKDIR_CHANGED: { status: 409, retriable: true, raisedBy: ['sandboxd', 'execution'], meaning: "The sandbox's work dir changed since the manifest the caller synced against; nothing ran: list it again and sync." },
  SANDBOX_ERROR: { status: 502, retriable: true, raisedBy: ['execution', 'sandboxd'], meaning: 'The tier-4 sandbox failed (not the command in it).' },
  OUTPUT_TRUNCATED: { status: 200, retriable: false, raisedBy: ['execution'], meaning: 'Output went over its cap and was cut; the result says so.' },
  RESOURCE_EXHAUSTED: { status: 429, retriable: false, raisedBy: ['execution', 'sandboxd'], meaning: 'A memory, process, disk or CPU limit stopped the command.' },
  REGEX_TOO_COMPLEX: { status: 422, retriable: true, raisedBy: ['execution'], meaning: "A back-reference regex ran out of tier 1's step budget; tier 4's GNU tool may try." },
  CANCELLED: { status: 409, retriable: false, raisedBy: ['execution', 'agent'], meaning: 'The execution or task was cancelled.' },
  // governance (raised on the governed path before any tier runs)
  KILL_SWITCH: { status: 403, retriable: false, raisedBy: ['governance', 'agent', 'api'], meaning: 'A kill switch covers this tenant or agent.' },
  POLICY_DENIED: { status: 403, retriable: false, raisedBy: ['governance', 'agent', 'api'], meaning: 'A policy rule denies the action; details name the rule.' },
  APPROVAL_REQUIRED: { status: 202, retriable: false, raisedBy: ['governance', 'agent', 'api'], meaning: 'A policy rule parks the action until someone approves it.' },
  BUDGET_EXCEEDED: { status: 429, retriable: false, raisedBy: ['governance', 'agent', 'api', 'execution'], meaning: 'A hard budget limit of the agent, user or tenant would be passed.' },
  // scheduling (raised by the agent's queue)
  QUEUE_FULL: { status: 429, retriable: true, raisedBy: ['agent'], meaning: "The agent's queue is at its maximum depth." },
  DEADLINE_EXCEEDED: { status: 408, retriable: false, raisedBy: ['agent'], meaning: "The task's deadline passed before it could start." },
  DEPENDENCY_FAILED: { status: 424, retriable: false, raisedBy: ['agent'], meaning: 'A task this one depends on failed.' },
  AGENT_UNHEALTHY: { status: 503, retriable: true, raisedBy: ['agent'], meaning: 'The agent missed its heartbeats.' },
  INTERRUPTED: { status: 503, retriable: true, raisedBy: ['agent'], meaning: 'The task was running when its agent restarted.' },
  INTERNAL: { status: 500, retriable: true, raisedBy: ['api', 'governance', 'agent', 'execution', 'sandboxd'], meaning: 'A fault of the fabric; the logs carry the trace id.' },
} as const satisfies Record<string, ErrorSpec>

export type ErrorCode = keyof typeof ERROR_CODES

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERROR_CODES, value)
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> }
}

/**
 * The error class of the whole system: a registry code, a message that says
 * what to do next, and optional details. The Worker's API and sandboxd map it
 * to `{error: {code, message, details}}` with the registry's status (or an
 * explicit one where a route must differ).
 */
export class FabricError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly details: Record<string, unknown> | undefined

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, status?: number) {
    super(message)
    this.name = 'FabricError'
    this.code = code
    this.details = details
    this.status = status ?? ERROR_CODES[code].status
  }

  toJSON(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } }
  }
}
