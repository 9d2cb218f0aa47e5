/**
 * Line input for the line-oriented utilities added with the differential
 * harness (nl, paste, comm, join, column): an operand's text split into lines
 * (stdin for `-`), and a paced loop so long inputs stay interruptible.
 */
import type { CommandContext } from './context'
import { readOrReport } from './io'
import { Pacer } from './pace'
import { decodeUtf8, splitLines } from './text'

/** The operand's lines (without terminators), or undefined after reporting why it could not be read. */
export async function readLines(ctx: CommandContext, operand: string): Promise<string[] | undefined> {
  const data = await readOrReport(ctx, operand)
  return data && splitLines(decodeUtf8(data)).lines
}

/**
 * Reads each operand's lines in turn (stdin when there are none) and hands them to `each`; an
 * operand that cannot be read is reported and skipped. The exit status: 1 if any was skipped.
 */
export async function eachOperandLines(ctx: CommandContext, operands: readonly string[], each: (lines: string[]) => void | Promise<void>): Promise<number> {
  let status = 0
  for (const operand of operands.length > 0 ? operands : ['-']) {
    const lines = await readLines(ctx, operand)
    if (lines) await each(lines)
    else status = 1
  }
  return status
}

/** Calls `each` for every item, yielding to the event loop (and honouring the deadline) every slice of work. */
export async function pacedEach<T>(ctx: CommandContext, items: readonly T[], each: (item: T, index: number) => void): Promise<void> {
  const pacer = new Pacer(ctx.signal)
  let work = 0
  for (let i = 0; i < items.length; i++) {
    each(items[i] as T, i)
    work += 64
    if (pacer.due(work)) await pacer.pause(work)
  }
}
