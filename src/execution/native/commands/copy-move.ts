/**
 * cp (-r -R -f -n -v) and mv (-f -n -v): `SRC DEST`, or several sources
 * into an existing directory (`-t DIR` too). Directory copies and moves go
 * through fsx's recursive copy and rename. Preserving attributes (-p, -a)
 * is left to tier 4: fsx sets a copy's mtime itself.
 */
import type { FileStat } from '../../../../types/execution'
import { parseArgs } from '../argv'
import { UsageError, type Command, type CommandContext } from '../context'
import { fsCode, fsReason, report, resolve } from '../io'
import { treeEntries } from '../walk'
import { quoteAlways } from '../quote'
import { joinDisplay } from '../walk'

interface Transfer {
  verb: 'cp' | 'mv'
  recursive: boolean
  noClobber: boolean
  verbose: boolean
}

async function statOrUndefined(ctx: CommandContext, path: string): Promise<FileStat | undefined> {
  try {
    return await ctx.fs.stat(path)
  } catch (thrown) {
    if (fsCode(thrown) === 'ENOENT') return undefined
    throw thrown
  }
}

function baseName(operand: string): string {
  const trimmed = operand.replace(/\/+$/, '')
  return trimmed.slice(trimmed.lastIndexOf('/') + 1) || trimmed
}

/** Copies or moves one source; returns false after reporting a failure. */
async function transferOne(ctx: CommandContext, options: Transfer, source: string, target: string): Promise<boolean> {
  const fail = (message: string) => {
    report(ctx, message)
    return false
  }
  try {
    const from = resolve(ctx, source)
    const sourceStat = await statOrUndefined(ctx, from)
    if (!sourceStat) return fail(`cannot stat ${quoteAlways(source)}: No such file or directory`)
    if (sourceStat.type === 'directory' && !options.recursive) return fail(`-r not specified; omitting directory ${quoteAlways(source)}`)
    const to = resolve(ctx, target)
    const targetStat = await statOrUndefined(ctx, to)
    if (from === to) return fail(`${quoteAlways(source)} and ${quoteAlways(target)} are the same file`)
    if (to.startsWith(`${from}/`)) {
      return fail(
        options.verb === 'cp'
          ? `cannot copy a directory, ${quoteAlways(source)}, into itself, ${quoteAlways(target)}`
          : `cannot move ${quoteAlways(source)} to a subdirectory of itself, ${quoteAlways(target)}`,
      )
    }
    if (targetStat && options.noClobber) return true
    if (targetStat?.type === 'file' && sourceStat.type === 'directory') {
      return fail(`cannot overwrite non-directory ${quoteAlways(target)} with directory ${quoteAlways(source)}`)
    }
    if (targetStat?.type === 'directory' && sourceStat.type === 'file') {
      return fail(`cannot overwrite directory ${quoteAlways(target)} with non-directory ${quoteAlways(source)}`)
    }
    if (options.verb === 'cp') await ctx.fs.copy(from, to, { recursive: sourceStat.type === 'directory' })
    else await ctx.fs.rename(from, to)
    if (options.verbose && options.verb === 'cp' && sourceStat.type === 'directory') {
      // cp -rv names every entry it copies, parents first, each under the target.
      for (const entry of await treeEntries(ctx, to, target)) ctx.stdout.write(`${quoteAlways(source + entry.display.slice(target.length))} -> ${quoteAlways(entry.display)}\n`)
    } else if (options.verbose) ctx.stdout.write(`${options.verb === 'mv' ? 'renamed ' : ''}${quoteAlways(source)} -> ${quoteAlways(target)}\n`)
    return true
  } catch (thrown) {
    const action = options.verb === 'cp' ? `cannot create regular file ${quoteAlways(target)}` : `cannot move ${quoteAlways(source)} to ${quoteAlways(target)}`
    return fail(`${action}: ${fsReason(thrown)}`)
  }
}

async function transfer(ctx: CommandContext, options: Transfer, operands: readonly string[], targetDirectory: string | undefined): Promise<number> {
  const sources = targetDirectory === undefined ? operands.slice(0, -1) : [...operands]
  const target = targetDirectory ?? operands[operands.length - 1]
  if (operands.length === 0) throw new UsageError('missing file operand')
  if (target === undefined || sources.length === 0) throw new UsageError(`missing destination file operand after ${quoteAlways(operands[0] as string)}`)
  let targetStat: FileStat | undefined
  try {
    targetStat = await statOrUndefined(ctx, resolve(ctx, target))
  } catch (thrown) {
    report(ctx, `target ${quoteAlways(target)}: ${fsReason(thrown)}`)
    return 1
  }
  const intoDirectory = targetStat?.type === 'directory'
  if (!intoDirectory && (sources.length > 1 || targetDirectory !== undefined)) {
    report(ctx, targetStat ? `target ${quoteAlways(target)} is not a directory` : `target ${quoteAlways(target)}: No such file or directory`)
    return 1
  }
  let status = 0
  for (const source of sources) {
    ctx.signal.throwIfAborted()
    const destination = intoDirectory ? joinDisplay(target, baseName(source)) : target
    if (!(await transferOne(ctx, options, source, destination))) status = 1
  }
  return status
}

export const cp: Command = async (ctx) => {
  const parsed = parseArgs('cp', ctx.args, {
    flags: 'rRfnv',
    withValue: 't',
    long: {
      recursive: { key: 'r' },
      force: { key: 'f' },
      'no-clobber': { key: 'n' },
      verbose: { key: 'v' },
      'target-directory': { key: 't', value: true },
    },
  })
  const options: Transfer = {
    verb: 'cp',
    recursive: parsed.has('r') || parsed.has('R'),
    noClobber: parsed.has('n'),
    verbose: parsed.has('v'),
  }
  return transfer(ctx, options, parsed.operands, parsed.last('t'))
}

export const mv: Command = async (ctx) => {
  const parsed = parseArgs('mv', ctx.args, {
    flags: 'fnv',
    withValue: 't',
    long: { force: { key: 'f' }, 'no-clobber': { key: 'n' }, verbose: { key: 'v' }, 'target-directory': { key: 't', value: true } },
  })
  const options: Transfer = { verb: 'mv', recursive: true, noClobber: parsed.has('n'), verbose: parsed.has('v') }
  return transfer(ctx, options, parsed.operands, parsed.last('t'))
}
