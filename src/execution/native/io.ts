/**
 * The IO helper every utility uses: resolve operands against the cwd, read
 * them (`-` is stdin), and report failures in GNU's words. fsx throws
 * `FsError` with a strerror-style `reason`; anything else is a bug and is
 * rethrown so the executor reports it as INTERNAL.
 */
import { isFsError } from '../fsx/errors'
import { resolvePath } from '../fsx/paths'
import type { CommandContext } from './context'
import { quoteIfNeeded } from './quote'

/** The absolute fsx path of an operand (throws FsError for unsafe paths). */
export function resolve(ctx: CommandContext, path: string): string {
  return resolvePath(ctx.cwd, path)
}

/** Writes `name: message\n` to stderr. */
export function report(ctx: CommandContext, message: string): void {
  ctx.stderr.write(`${ctx.name}: ${message}\n`)
}

/** The strerror text of an fsx failure; rethrows anything that is not one. */
export function fsReason(thrown: unknown): string {
  if (isFsError(thrown)) return thrown.reason
  throw thrown
}

/** The fsx error code of a failure, or undefined when it is not an FsError. */
export function fsCode(thrown: unknown): string | undefined {
  return isFsError(thrown) ? thrown.code : undefined
}

/** Reports `name: <subject>: <reason>` for an fsx failure (GNU's usual shape). */
export function reportFsError(
  ctx: CommandContext,
  subject: string,
  thrown: unknown,
  quote: (name: string) => string = quoteIfNeeded,
): void {
  report(ctx, `${quote(subject)}: ${fsReason(thrown)}`)
}

export async function readOperand(ctx: CommandContext, operand: string): Promise<Uint8Array> {
  if (operand === '-') return ctx.stdin.readAll()
  return ctx.fs.read(resolve(ctx, operand))
}

/** Reads one operand, or reports why it cannot be read and resolves to undefined. */
export async function readOrReport(ctx: CommandContext, operand: string): Promise<Uint8Array | undefined> {
  try {
    return await readOperand(ctx, operand)
  } catch (thrown) {
    reportFsError(ctx, operand, thrown)
    return undefined
  }
}

/**
 * Reads each operand in turn (stdin when there are none), calling `onInput`
 * with its bytes. Unreadable operands are reported (by `onError`, default
 * `name: operand: reason`) and skipped, as GNU does. Resolves to true when
 * every operand was read.
 */
export async function forEachInput(
  ctx: CommandContext,
  operands: readonly string[],
  onInput: (data: Uint8Array, operand: string) => void | Promise<void>,
  onError: (operand: string, thrown: unknown) => void = (operand, thrown) => reportFsError(ctx, operand, thrown),
): Promise<boolean> {
  let allRead = true
  for (const operand of operands.length > 0 ? operands : ['-']) {
    ctx.signal.throwIfAborted()
    let data: Uint8Array
    try {
      data = await readOperand(ctx, operand)
    } catch (thrown) {
      onError(operand, thrown)
      allRead = false
      continue
    }
    await onInput(data, operand)
  }
  return allRead
}
