/**
 * awk's files: output redirections (`>` truncates when first opened and
 * then appends for the rest of the run, `>>` appends), the files `getline <
 * file` reads, and close(). Output to files is buffered and written to fsx
 * when the file is closed or the program ends; /dev/stdout, /dev/stderr and
 * `-` go straight to the streams. The file is created (or checked) when first
 * opened, so a bad path fails where gawk fails.
 */
import type { CommandContext } from '../../context'
import { fsReason, resolve } from '../../io'
import { decodeUtf8 } from '../../text'
import { AwkFatal } from './errors'
import { RecordReader } from './records'

interface OpenOutput {
  path: string
  chunks: string[]
}

export class Streams {
  private readonly outputs = new Map<string, OpenOutput>()
  private readonly inputs = new Map<string, RecordReader | undefined>()

  constructor(private readonly ctx: CommandContext) {}

  async write(name: string, mode: '>' | '>>', text: string): Promise<void> {
    if (name === '/dev/stdout' || name === '-') return this.ctx.stdout.write(text)
    if (name === '/dev/stderr') return this.ctx.stderr.write(text)
    let open = this.outputs.get(name)
    if (!open) {
      const path = resolve(this.ctx, name)
      try {
        if (mode === '>') await this.ctx.fs.write(path, '')
        else if (!(await this.ctx.fs.exists(path))) await this.ctx.fs.write(path, '')
        else if ((await this.ctx.fs.stat(path)).type === 'directory') throw new AwkFatal(`cannot redirect to \`${name}': Is a directory`)
      } catch (thrown) {
        if (thrown instanceof AwkFatal) throw thrown
        throw new AwkFatal(`cannot redirect to \`${name}': ${fsReason(thrown)}`)
      }
      open = { path, chunks: [] }
      this.outputs.set(name, open)
    }
    open.chunks.push(text)
  }

  private async flush(open: OpenOutput): Promise<void> {
    if (open.chunks.length === 0) return
    const text = open.chunks.join('')
    open.chunks = []
    await this.ctx.fs.append(open.path, text)
  }

  /** A reader for `getline < name`, or undefined when it cannot be opened (getline returns -1). */
  async reader(name: string): Promise<RecordReader | undefined> {
    if (this.inputs.has(name)) return this.inputs.get(name)
    let reader: RecordReader | undefined
    if (name === '-' || name === '/dev/stdin') reader = new RecordReader(decodeUtf8(await this.ctx.stdin.readAll()))
    else {
      try {
        reader = new RecordReader(decodeUtf8(await this.ctx.fs.read(resolve(this.ctx, name))))
      } catch {
        reader = undefined
      }
    }
    this.inputs.set(name, reader)
    return reader
  }

  /** close(name): 0 when something was open under that name, -1 otherwise. */
  async close(name: string): Promise<number> {
    let found = false
    const open = this.outputs.get(name)
    if (open) {
      await this.flush(open)
      this.outputs.delete(name)
      found = true
    }
    if (this.inputs.has(name)) {
      found = this.inputs.get(name) !== undefined || found
      this.inputs.delete(name)
    }
    return found ? 0 : -1
  }

  async flushAll(): Promise<void> {
    for (const open of this.outputs.values()) await this.flush(open)
  }
}
