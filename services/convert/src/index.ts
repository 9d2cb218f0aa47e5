/**
 * Tier-2 service `convert`: the fabric calls `ConvertService.convert` over a
 * service binding (SVC_CONVERT) to turn JSON, YAML, TOML, CSV or TSV into
 * another of them. The parsers live only in this Worker.
 */
import { WorkerEntrypoint } from 'cloudflare:workers'
import { parseRequest, serveCall } from '../../shared/src/call'
import { FormatError, READERS, WRITERS } from './formats'
import { ConvertRequestSchema, type ConvertRequest, type ConvertResponse } from './protocol'

export class ConvertService extends WorkerEntrypoint {
  /** Reads `input` as `from` and writes it as `to`; bad input is exit status 1 and a message, like a CLI. */
  async convert(request: ConvertRequest): Promise<ConvertResponse> {
    const { from, to, input, options, ...meta } = parseRequest(ConvertRequestSchema, request, 'convert.convert')
    return serveCall('convert', 'convert', meta, async () => {
      try {
        return { stdout: WRITERS[to](READERS[from](input, options), options), stderr: '', exitCode: 0 }
      } catch (thrown) {
        if (!(thrown instanceof FormatError)) throw thrown
        return { stdout: '', stderr: `convert: ${thrown.message}\n`, exitCode: 1 }
      }
    })
  }
}

export default ConvertService
