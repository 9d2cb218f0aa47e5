/**
 * Stdin a piece at a time, for the utilities that stream (cat, head, wc,
 * grep…): in a pipeline their input is a pipe (stream.ts), so reading it
 * piece by piece — and awaiting `stdout.drain()` before each piece, so a
 * slow consumer downstream holds them back — keeps a stage's memory
 * bounded however long the stream is. Operands that name files are read
 * whole, as before (fsx hands a file over in one piece).
 */
import type { CommandContext } from './context'
import { resolve, reportFsError } from './io'
import { ByteReader, InputTooLarge, READ_ALL_CAP_BYTES } from './stream'
import { concatBytes } from './text'

/** The next piece of stdin once the consumer downstream has room; undefined at its end. */
async function nextPiece(ctx: CommandContext): Promise<Uint8Array | undefined> {
  await ctx.stdout.drain()
  ctx.signal.throwIfAborted()
  return ctx.stdin.read()
}

/**
 * Stdin that ends as soon as `enough` (fed each piece in turn) says so:
 * `head -n 3` reads its three lines and no more, so its producer is
 * stopped there rather than run to its end.
 */
export function stdinUntil(ctx: CommandContext, enough: (piece: Uint8Array) => boolean): ByteReader {
  let done = false
  return new ByteReader({
    read: async () => {
      if (done) return undefined
      const piece = await nextPiece(ctx)
      if (piece === undefined || enough(piece)) done = true
      return piece
    },
    // The shell's stdin stays open for whoever reads after this command.
    cancel: () => (done = true),
  })
}

/**
 * Stdin in blocks that end at a newline (the last may not), each at least
 * `minBytes` long but the last: counts and line-wise work then never see a
 * line or a UTF-8 character split between two blocks. A single line longer
 * than the read-all cap fails with InputTooLarge rather than being cut.
 */
export async function* stdinBlocks(ctx: CommandContext, minBytes = 0): AsyncGenerator<Uint8Array> {
  let parts: Uint8Array[] = []
  let size = 0
  for (let piece = await nextPiece(ctx); piece !== undefined; piece = await nextPiece(ctx)) {
    parts.push(piece)
    size += piece.length
    const end = piece.lastIndexOf(0x0a)
    if (end === -1 || size < minBytes) {
      if (size > READ_ALL_CAP_BYTES) throw new InputTooLarge(READ_ALL_CAP_BYTES)
      continue
    }
    const rest = piece.subarray(end + 1)
    parts[parts.length - 1] = piece.subarray(0, end + 1)
    yield parts.length === 1 && parts[0] ? parts[0] : concatBytes(parts)
    parts = rest.length > 0 ? [rest] : []
    size = rest.length
  }
  if (size > 0) yield concatBytes(parts)
}

async function eachStdinBlock(ctx: CommandContext, each: (block: Uint8Array) => void | Promise<void>): Promise<void> {
  for await (const block of stdinBlocks(ctx)) await each(block)
}

/**
 * forEachInput (io.ts) for utilities that stream: each operand (stdin when
 * there are none) is handed to `each` in one or more blocks — a file whole,
 * stdin in newline-ended blocks — then `done` is called for it. Unreadable
 * operands are reported (by `onError`) and skipped. Resolves to true when
 * every operand was read.
 */
export async function forEachInputBlock(
  ctx: CommandContext,
  operands: readonly string[],
  each: (block: Uint8Array, operand: string) => void | Promise<void>,
  options: { done?: (operand: string) => void; onError?: (operand: string, thrown: unknown) => void } = {},
): Promise<boolean> {
  const onError = options.onError ?? ((operand: string, thrown: unknown) => reportFsError(ctx, operand, thrown))
  let allRead = true
  for (const operand of operands.length > 0 ? operands : ['-']) {
    ctx.signal.throwIfAborted()
    if (operand === '-') await eachStdinBlock(ctx, (block) => each(block, operand))
    else {
      let data: Uint8Array
      try {
        data = await ctx.fs.read(resolve(ctx, operand))
      } catch (thrown) {
        onError(operand, thrown)
        allRead = false
        continue
      }
      await each(data, operand)
    }
    options.done?.(operand)
  }
  return allRead
}
