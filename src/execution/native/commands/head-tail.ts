/**
 * What head and tail share: options, `==> name <==` headers (on with several
 * files or -v, off with -q, the last one wins), and GNU's wording for files
 * that cannot be read (a directory opens, so its header is still printed).
 */
import { parseArgs } from '../argv'
import { stdinUntil } from '../chunks'
import type { CommandContext } from '../context'
import { forEachInput, fsCode, fsReason, report } from '../io'
import { quoteAlways } from '../quote'

const SPEC = {
  flags: 'qv',
  withValue: 'nc',
  long: {
    lines: { key: 'n', value: true },
    bytes: { key: 'c', value: true },
    quiet: { key: 'q' },
    silent: { key: 'q' },
    verbose: { key: 'v' },
  },
}

/** Prints `==> name <==` headers between files the way head and tail do. */
class FileHeaders {
  private printed = 0

  constructor(private readonly enabled: boolean) {}

  header(operand: string): string {
    if (!this.enabled) return ''
    const name = operand === '-' ? 'standard input' : operand
    return `${this.printed++ > 0 ? '\n' : ''}==> ${name} <==\n`
  }
}

export interface CountOption {
  unit: 'lines' | 'bytes'
  /** The value as typed, e.g. `10`, `-3`, `+2` (10 lines when absent). */
  raw: string
}

function reportUnreadable(ctx: CommandContext, headers: FileHeaders, operand: string, thrown: unknown): void {
  if (fsCode(thrown) === 'EISDIR') {
    ctx.stdout.write(headers.header(operand))
    report(ctx, `error reading ${quoteAlways(operand)}: ${fsReason(thrown)}`)
  } else {
    report(ctx, `cannot open ${quoteAlways(operand)} for reading: ${fsReason(thrown)}`)
  }
}

/**
 * Parses the options, then writes `pick(count)(data)` of every input under its header.
 * `prefix`, when it gives a test for the count, says when stdin has been read far enough:
 * reading stops there (head), instead of at the end of the stream.
 */
export async function runHeadOrTail(
  given: CommandContext,
  args: readonly string[],
  makePicker: (count: CountOption) => (data: Uint8Array) => Uint8Array,
  prefix?: (count: CountOption) => ((piece: Uint8Array) => boolean) | undefined,
): Promise<number> {
  const parsed = parseArgs(given.name, args, SPEC)
  const last = [...parsed.options].reverse().find((option) => option.key === 'n' || option.key === 'c')
  const count: CountOption = { unit: last?.key === 'c' ? 'bytes' : 'lines', raw: last?.value ?? '10' }
  const pick = makePicker(count)
  const enough = prefix?.(count)
  const ctx = enough ? { ...given, stdin: stdinUntil(given, enough) } : given
  const verbose = parsed.options.reduce((on, option) => (option.key === 'v' ? true : option.key === 'q' ? false : on), parsed.operands.length > 1)
  const headers = new FileHeaders(verbose)
  const ok = await forEachInput(
    ctx,
    parsed.operands,
    (data, operand) => {
      ctx.stdout.write(headers.header(operand))
      ctx.stdout.write(pick(data))
    },
    (operand, thrown) => reportUnreadable(ctx, headers, operand, thrown),
  )
  return ok ? 0 : 1
}
