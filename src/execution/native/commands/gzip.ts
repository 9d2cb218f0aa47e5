/**
 * gzip, gunzip and zcat on the Worker's CompressionStream (DEFLATE). The
 * header is written as GNU gzip writes it — FNAME and the file's mtime when
 * compressing a named file (neither with -n or from stdin), XFL 0, OS 3 — but
 * the compressed body comes from the platform's deflate, not GNU's, so the
 * bytes differ from GNU's while every round trip is exact (both directions
 * decode each other; docs/native.md). Options: -c -d -k -f -n -q and
 * -1…-9 (accepted; the platform offers one level). Several members, -r,
 * -l and -t go to tier 4.
 */
import { parseArgs } from '../argv'
import { UnsupportedFeature, type Command, type CommandContext } from '../context'
import { fsCode, report, resolve } from '../io'
import { concatBytes, encodeUtf8 } from '../text'

const SPEC = {
  flags: 'cdkfnNq123456789',
  long: { stdout: { key: 'c' }, decompress: { key: 'd' }, keep: { key: 'k' }, force: { key: 'f' }, 'no-name': { key: 'n' }, quiet: { key: 'q' } },
}

async function pipeThrough(data: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  const output = new Blob([data]).stream().pipeThrough(stream)
  for await (const chunk of output) chunks.push(chunk)
  return concatBytes(chunks)
}

export class NotGzip extends Error {}

/** GNU gzip's exit status when it skipped a file with a warning. */
const WARNING = 2

export async function compress(data: Uint8Array, name: string | undefined, mtimeSeconds: number): Promise<Uint8Array> {
  const raw = await pipeThrough(data, new CompressionStream('deflate-raw'))
  const header = [0x1f, 0x8b, 0x08, name === undefined ? 0 : 0x08, mtimeSeconds & 0xff, (mtimeSeconds >>> 8) & 0xff, (mtimeSeconds >>> 16) & 0xff, (mtimeSeconds >>> 24) & 0xff, 0x00, 0x03]
  const nameBytes = name === undefined ? new Uint8Array(0) : concatBytes([encodeUtf8(name), new Uint8Array([0])])
  const trailer = new Uint8Array(8)
  const view = new DataView(trailer.buffer)
  view.setUint32(0, crc32(data), true)
  view.setUint32(4, data.byteLength >>> 0, true)
  return concatBytes([new Uint8Array(header), nameBytes, raw, trailer])
}

export async function decompress(data: Uint8Array): Promise<Uint8Array> {
  if (data[0] !== 0x1f || data[1] !== 0x8b) throw new NotGzip()
  try {
    return await pipeThrough(data, new DecompressionStream('gzip'))
  } catch {
    throw new NotGzip()
  }
}

let table: Uint32Array | undefined

function crc32(data: Uint8Array): number {
  table ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  let crc = 0xffffffff
  for (const byte of data) crc = (table[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

async function one(ctx: CommandContext, operand: string, options: { decompress: boolean; stdout: boolean; keep: boolean; force: boolean; noName: boolean }): Promise<number> {
  const display = operand === '-' ? 'stdin' : operand
  try {
    if (operand === '-') {
      const data = await ctx.stdin.readAll()
      ctx.stdout.write(options.decompress ? await decompress(data) : await compress(data, undefined, 0))
      return 0
    }
    const path = resolve(ctx, operand)
    const stat = await ctx.fs.stat(path)
    if (stat.type === 'directory') {
      report(ctx, `${operand} is a directory -- ignored`)
      return WARNING
    }
    if (options.decompress && !options.stdout && !/\.(gz|tgz|z)$/i.test(operand)) {
      report(ctx, `${operand}: unknown suffix -- ignored`)
      return WARNING
    }
    if (!options.decompress && !options.stdout && operand.endsWith('.gz')) {
      report(ctx, `${operand} already has .gz suffix -- unchanged`)
      return WARNING
    }
    const data = await ctx.fs.read(path)
    const base = operand.slice(operand.lastIndexOf('/') + 1)
    const result = options.decompress ? await decompress(data) : await compress(data, options.noName ? undefined : base, options.noName ? 0 : Math.floor(stat.mtime / 1000))
    if (options.stdout) {
      ctx.stdout.write(result)
      return 0
    }
    const target = options.decompress ? operand.replace(/\.tgz$/i, '.tar').replace(/\.(gz|z)$/i, '') : `${operand}.gz`
    const targetPath = resolve(ctx, target)
    if (!options.force && (await ctx.fs.exists(targetPath))) {
      report(ctx, `${target} already exists;\tnot overwritten`)
      return WARNING
    }
    await ctx.fs.write(targetPath, result)
    if (!options.keep) await ctx.fs.rm(path)
    return 0
  } catch (thrown) {
    if (thrown instanceof NotGzip) {
      report(ctx, `${display}: not in gzip format`)
      return 1
    }
    if (fsCode(thrown) === 'ENOENT') {
      report(ctx, `${display}: No such file or directory`)
      return 1
    }
    throw thrown
  }
}

function gzipFamily(name: string, decompressAlways: boolean, stdoutAlways: boolean): Command {
  return async (ctx) => {
    const parsed = parseArgs(name, ctx.args, SPEC)
    if (parsed.has('N')) throw new UnsupportedFeature(name, '-N')
    const options = {
      decompress: decompressAlways || parsed.has('d'),
      stdout: stdoutAlways || parsed.has('c'),
      keep: parsed.has('k'),
      force: parsed.has('f'),
      noName: parsed.has('n'),
    }
    let status = 0
    for (const operand of parsed.operands.length > 0 ? parsed.operands : ['-']) {
      ctx.signal.throwIfAborted()
      const result = await one(ctx, operand, options)
      // An error (1) outranks a warning (2), as in GNU gzip.
      status = status === 1 || result === 1 ? 1 : Math.max(status, result)
    }
    return status
  }
}

export const gzip = gzipFamily('gzip', false, false)
export const gunzip = gzipFamily('gunzip', true, false)
export const zcat = gzipFamily('zcat', true, true)
