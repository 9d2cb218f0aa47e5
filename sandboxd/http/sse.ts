/**
 * Server-sent events for streaming exec: `stdout`/`stderr` events carry
 * `{text}` chunks as the process writes them (decoded as UTF-8 across chunk
 * boundaries), then one `result` event with the full exec response, or an
 * `error` event with `{code, message}`.
 */
import type { ServerResponse } from 'node:http'
import { StringDecoder } from 'node:string_decoder'
import type { StreamEvent } from '../protocol.ts'
import type { OutputStream } from '../runner/run-process.ts'

export class SseWriter {
  private readonly res: ServerResponse
  private readonly decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') }

  constructor(res: ServerResponse) {
    this.res = res
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' })
    res.flushHeaders()
  }

  event(name: StreamEvent, data: unknown): void {
    if (this.res.writableEnded) return
    this.res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`)
  }

  output(stream: OutputStream, chunk: Buffer): void {
    const text = this.decoders[stream].write(chunk)
    if (text !== '') this.event(stream, { text })
  }

  end(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.decoders[stream].end()
      if (rest !== '') this.event(stream, { text: rest })
    }
    this.res.end()
  }
}
