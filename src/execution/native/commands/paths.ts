/**
 * realpath (-e -m -s -z, --relative-to) and readlink (-f -e -m -n -z) over
 * fsx, which has no symbolic links: resolving a name is normalising it
 * against the cwd and checking the components exist. By default every
 * component but the last must exist (-e: all of them, -m: none). readlink
 * without -f/-e/-m prints a link's target, and fsx holds no links, so it
 * fails silently with status 1 exactly as GNU does on a regular file.
 */
import { parseArgs } from '../argv'
import { UsageError, type Command, type CommandContext } from '../context'
import { fsCode, report } from '../io'
import { resolvePath } from '../../fsx/paths'

type Existence = 'all' | 'parent' | 'none'

/** The normalised absolute name, or the strerror text of the component that stops it. */
async function canonical(ctx: CommandContext, name: string, existence: Existence): Promise<{ path: string } | { error: string }> {
  const absolute = name.startsWith('/') ? name : `${ctx.cwd}/${name}`
  const parts: string[] = []
  const components = absolute.split('/').filter((part) => part !== '' && part !== '.')
  for (const [index, part] of components.entries()) {
    if (part === '..') {
      parts.pop()
      continue
    }
    parts.push(part)
    const path = `/${parts.join('/')}`
    const last = index === components.length - 1
    if (existence === 'none' || (existence === 'parent' && last)) continue
    try {
      const stat = await ctx.fs.stat(resolvePath('/', path))
      if (stat.type !== 'directory' && !last) return { error: 'Not a directory' }
    } catch (thrown) {
      if (fsCode(thrown) !== 'ENOENT') throw thrown
      return { error: 'No such file or directory' }
    }
  }
  return { path: `/${parts.join('/')}` }
}

function relative(from: string, to: string): string {
  const a = from.split('/').filter(Boolean)
  const b = to.split('/').filter(Boolean)
  let common = 0
  while (common < a.length && common < b.length && a[common] === b[common]) common++
  const up = a.slice(common).map(() => '..')
  return [...up, ...b.slice(common)].join('/') || '.'
}

export const realpath: Command = async (ctx) => {
  const parsed = parseArgs('realpath', ctx.args, {
    flags: 'emqsz',
    long: {
      'canonicalize-existing': { key: 'e' },
      'canonicalize-missing': { key: 'm' },
      quiet: { key: 'q' },
      strip: { key: 's' },
      'no-symlinks': { key: 's' },
      zero: { key: 'z' },
      'relative-to': { key: 'R', value: true },
    },
  })
  if (parsed.operands.length === 0) throw new UsageError('missing operand')
  const existence: Existence = parsed.has('e') ? 'all' : parsed.has('m') ? 'none' : 'parent'
  const base = parsed.last('R')
  const basePath = base === undefined ? undefined : await canonical(ctx, base, existence)
  if (basePath && 'error' in basePath) {
    report(ctx, `${base}: ${basePath.error}`)
    return 1
  }
  let status = 0
  for (const operand of parsed.operands) {
    const result = await canonical(ctx, operand, existence)
    if ('error' in result) {
      if (!parsed.has('q')) report(ctx, `${operand}: ${result.error}`)
      status = 1
      continue
    }
    const shown = basePath ? relative(basePath.path, result.path) : result.path
    ctx.stdout.write(shown + (parsed.has('z') ? '\0' : '\n'))
  }
  return status
}

export const readlink: Command = async (ctx) => {
  const parsed = parseArgs('readlink', ctx.args, {
    flags: 'femnqsvz',
    long: {
      canonicalize: { key: 'f' },
      'canonicalize-existing': { key: 'e' },
      'canonicalize-missing': { key: 'm' },
      'no-newline': { key: 'n' },
      quiet: { key: 'q' },
      silent: { key: 's' },
      verbose: { key: 'v' },
      zero: { key: 'z' },
    },
  })
  if (parsed.operands.length === 0) throw new UsageError('missing operand')
  const mode = parsed.options.filter((o) => 'fem'.includes(o.key)).pop()?.key
  let status = 0
  const terminator = parsed.has('z') ? '\0' : parsed.has('n') && parsed.operands.length === 1 ? '' : '\n'
  for (const operand of parsed.operands) {
    if (mode === undefined) {
      status = 1
      continue
    }
    const result = await canonical(ctx, operand, mode === 'e' ? 'all' : mode === 'm' ? 'none' : 'parent')
    if ('error' in result) {
      if (parsed.has('v')) report(ctx, `${operand}: ${result.error}`)
      status = 1
      continue
    }
    ctx.stdout.write(result.path + terminator)
  }
  return status
}
