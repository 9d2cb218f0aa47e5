/**
 * Tier-2 service `jq`: the fabric calls `JqService.query` over a service
 * binding (SVC_JQ). jq and its 2.7 MB of WebAssembly live only in this Worker.
 */
import { WorkerEntrypoint } from 'cloudflare:workers'
import { parseRequest, serveCall } from '../../shared/src/call'
import { runJq } from './jq-engine'
import { JqRequestSchema, type JqRequest, type JqResponse } from './protocol'

export class JqService extends WorkerEntrypoint {
  /** Runs `jq [flags] filter` on `input` and returns what the CLI would print. */
  async query(request: JqRequest): Promise<JqResponse> {
    const { filter, input, options, ...meta } = parseRequest(JqRequestSchema, request, 'jq.query')
    return serveCall('jq', 'query', meta, () => runJq(filter, input, options))
  }
}

export default JqService
