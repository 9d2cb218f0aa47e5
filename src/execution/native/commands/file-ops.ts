/**
 * mkdir (-p -v -m with an octal mode, which fsx keeps), rm (-r -R -f -d -v) and touch (-c) over fsx, with GNU's
 * messages. touch on an existing file rewrites nothing but its mtime (fsx
 * appends zero bytes); touch -d/-t/-r need time setting fsx does not offer.
 */
import { parseArgs } from '../argv'
import { UnsupportedFeature, UsageError, type Command } from '../context'
import { fsCode, fsReason, report, resolve } from '../io'
import { quoteAlways, quoteLocale } from '../quote'
import { treeEntries } from '../walk'

const OCTAL_MODE = /^[0-7]{1,4}$/

/** `-m 700` → 0o700; a symbolic mode (`u=rwx,go=`) is tier 4's to apply. */
function octalMode(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  if (!OCTAL_MODE.test(text)) throw new UnsupportedFeature('mkdir', `the symbolic mode '${text}'`)
  return Number.parseInt(text, 8) & 0o7777
}

export const mkdir: Command = async (ctx) => {
  const parsed = parseArgs('mkdir', ctx.args, {
    flags: 'pv',
    withValue: 'm',
    long: { parents: { key: 'p' }, verbose: { key: 'v' }, mode: { key: 'm', value: true } },
  })
  if (parsed.operands.length === 0) throw new UsageError('missing operand')
  const mode = octalMode(parsed.last('m'))
  let status = 0
  for (const operand of parsed.operands) {
    try {
      if (parsed.has('p') && parsed.has('v')) {
        // -pv names each directory it had to make, outermost first.
        const parts = operand.split('/')
        for (let i = 1; i <= parts.length; i++) {
          const prefix = parts.slice(0, i).join('/')
          if (prefix === '' || parts[i - 1] === '' || (await ctx.fs.exists(resolve(ctx, prefix)))) continue
          await ctx.fs.mkdir(resolve(ctx, prefix))
          ctx.stdout.write(`mkdir: created directory ${quoteAlways(prefix)}\n`)
        }
        continue
      }
      await ctx.fs.mkdir(resolve(ctx, operand), { recursive: parsed.has('p'), ...(mode === undefined ? {} : { mode }) })
      if (parsed.has('v')) ctx.stdout.write(`mkdir: created directory ${quoteAlways(operand)}\n`)
    } catch (thrown) {
      report(ctx, `cannot create directory ${quoteLocale(operand)}: ${fsReason(thrown)}`)
      status = 1
    }
  }
  return status
}

export const rm: Command = async (ctx) => {
  const parsed = parseArgs('rm', ctx.args, {
    flags: 'rRfdv',
    long: { recursive: { key: 'r' }, force: { key: 'f' }, dir: { key: 'd' }, verbose: { key: 'v' } },
  })
  const force = parsed.has('f')
  const recursive = parsed.has('r') || parsed.has('R')
  if (parsed.operands.length === 0) {
    if (force) return 0
    throw new UsageError('missing operand')
  }
  let status = 0
  const fail = (message: string) => {
    report(ctx, message)
    status = 1
  }
  for (const operand of parsed.operands) {
    ctx.signal.throwIfAborted()
    if (/(^|\/)\.\.?\/*$/.test(operand)) {
      fail(`refusing to remove '.' or '..' directory: skipping ${quoteAlways(operand)}`)
      continue
    }
    try {
      const path = resolve(ctx, operand)
      if (path === '/' && recursive) {
        fail(`it is dangerous to operate recursively on ${quoteAlways('/')}`)
        report(ctx, 'use --no-preserve-root to override this failsafe')
        continue
      }
      const stat = await ctx.fs.stat(path)
      if (stat.type === 'directory' && !recursive) {
        if (!parsed.has('d')) {
          fail(`cannot remove ${quoteAlways(operand)}: Is a directory`)
          continue
        }
        if ((await ctx.fs.readdir(path)).length > 0) {
          fail(`cannot remove ${quoteAlways(operand)}: Directory not empty`)
          continue
        }
      }
      // -v names every entry removed, children before their directory.
      const removed = parsed.has('v') ? (await treeEntries(ctx, path, operand)).reverse() : []
      await ctx.fs.rm(path, { recursive: stat.type === 'directory' })
      for (const entry of removed) ctx.stdout.write(`removed ${entry.type === 'directory' ? 'directory ' : ''}${quoteAlways(entry.display)}\n`)
    } catch (thrown) {
      if (force && fsCode(thrown) === 'ENOENT') continue
      fail(`cannot remove ${quoteAlways(operand)}: ${fsReason(thrown)}`)
    }
  }
  return status
}

export const touch: Command = async (ctx) => {
  const parsed = parseArgs('touch', ctx.args, { flags: 'cam', long: { 'no-create': { key: 'c' } } })
  if (parsed.operands.length === 0) throw new UsageError('missing file operand')
  let status = 0
  for (const operand of parsed.operands) {
    try {
      const path = resolve(ctx, operand)
      if (await ctx.fs.exists(path)) {
        if ((await ctx.fs.stat(path)).type === 'file') await ctx.fs.append(path, new Uint8Array(0))
      } else if (!parsed.has('c')) await ctx.fs.write(path, new Uint8Array(0))
    } catch (thrown) {
      report(ctx, `cannot touch ${quoteAlways(operand)}: ${fsReason(thrown)}`)
      status = 1
    }
  }
  return status
}
