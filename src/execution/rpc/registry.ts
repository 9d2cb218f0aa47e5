/**
 * Which operations tier 2 runs, and on which service. Detection sends these
 * names to tier 2; everything about a service call beyond argv parsing (the
 * deadline, the trace, errors) is the executor's job.
 */
import { parseConvertArgv } from './convert-argv'
import { parseJqArgv } from './jq-argv'
import { rpcOperation, type RpcOperation } from './operation'

const jq = rpcOperation('SVC_JQ', 'query', async (service, stage) => {
  const { filter, options, files } = parseJqArgv(stage.argv)
  // With -n jq never reads its input, so neither do we (no waiting on stdin, no file errors).
  const input = options.nullInput ? '' : await stage.readInput(files)
  return service.query({ filter, input, options, traceparent: stage.traceparent, deadline: stage.deadline })
})

const convert = rpcOperation('SVC_CONVERT', 'convert', async (service, stage) => {
  const { request, files } = parseConvertArgv(stage.argv)
  const input = await stage.readInput(files)
  return service.convert({ ...request, input, traceparent: stage.traceparent, deadline: stage.deadline })
})

export const RPC_OPERATIONS: ReadonlyMap<string, RpcOperation> = new Map([
  ['jq', jq],
  ['convert', convert],
])
