/**
 * A tier-2 operation: which service binding runs it, which RPC method, and
 * how a stage (argv + input) becomes that method's typed request.
 */
import type { CommandOutput } from '../../../services/shared/src/call'
import type { Env } from '../../env'

/** The service bindings tier 2 may call (see wrangler.toml `[[services]]`). */
export type RpcBindingName = 'SVC_JQ' | 'SVC_CONVERT'

/** What a command-like service returns: its output and exit status (the services' own contract type). */
export type ServiceOutput = CommandOutput

/** One pipeline stage as a tier-2 operation sees it. */
export interface RpcStage {
  argv: readonly string[]
  /** The stage's input: stdin, or the named files read through the caller's fsx. */
  readInput(files: readonly string[]): Promise<string>
  /** The traceparent of this hop's span. */
  traceparent: string
  /** Epoch milliseconds after which the fabric stops waiting. */
  deadline: number
}

export type RpcSender = (stage: RpcStage) => Promise<ServiceOutput>

export interface RpcOperation {
  readonly binding: RpcBindingName
  readonly method: string
  /** A sender bound to the service, or undefined when this Worker has no such binding. */
  connect(bindings: Env): RpcSender | undefined
}

/** Declares an operation whose `send` gets the binding already narrowed to a present service. */
export function rpcOperation<B extends RpcBindingName>(
  binding: B,
  method: string,
  send: (service: NonNullable<Env[B]>, stage: RpcStage) => Promise<ServiceOutput>,
): RpcOperation {
  return {
    binding,
    method,
    connect(bindings) {
      const service = bindings[binding]
      return service ? (stage) => send(service, stage) : undefined
    },
  }
}
