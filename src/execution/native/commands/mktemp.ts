/**
 * mktemp: a new empty file (or directory with -d) from TEMPLATE (default
 * tmp.XXXXXXXXXX), its trailing X's replaced by random letters and digits,
 * under -p DIR / $TMPDIR / /tmp when -t or no template is given; -u
 * (--dry-run) only prints the name; -q keeps quiet on failure. /tmp and
 * the other system directories are tier 4's own (fsx refuses them,
 * types/sandbox-paths.ts), so making a name there goes to tier 4.
 */
import { parseArgs } from '../argv'
import { reservedRootOf } from '../../../../types/sandbox-paths'
import { UnsupportedFeature, UsageError, type Command } from '../context'
import { fsReason, report, resolve } from '../io'
import { quoteLocale } from '../quote'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const ATTEMPTS = 100

function randomName(template: string, xs: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(xs))
  const suffix = Array.from(bytes, (byte) => ALPHABET[byte % ALPHABET.length]).join('')
  return template.slice(0, template.length - xs) + suffix
}

export const mktemp: Command = async (ctx) => {
  const parsed = parseArgs('mktemp', ctx.args, {
    flags: 'dqtu',
    withValue: 'p',
    long: { directory: { key: 'd' }, quiet: { key: 'q' }, 'dry-run': { key: 'u' }, tmpdir: { key: 'p', value: 'optional' } },
  })
  const [template = 'tmp.XXXXXXXXXX', extra] = parsed.operands
  if (extra !== undefined) throw new UsageError(`too many templates`)
  const xs = /X*$/.exec(template)?.[0].length ?? 0
  if (xs < 3) {
    if (!parsed.has('q')) report(ctx, `too few X's in template ${quoteLocale(template)}`)
    return 1
  }
  const inTmp = parsed.has('t') || parsed.has('p') || parsed.operands.length === 0
  const dir = parsed.last('p') || ctx.env.TMPDIR || '/tmp'
  const base = inTmp ? `${dir.replace(/\/+$/, '')}/${template}` : template
  const reserved = reservedRootOf(resolve(ctx, base))
  if (reserved !== null && !parsed.has('u')) throw new UnsupportedFeature('mktemp', `a temporary ${parsed.has('d') ? 'directory' : 'file'} under /${reserved} (tier 4's own directory)`)
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const name = randomName(base, xs)
    try {
      const path = resolve(ctx, name)
      if (await ctx.fs.exists(path)) continue
      if (!parsed.has('u')) {
        if (parsed.has('d')) await ctx.fs.mkdir(path)
        else await ctx.fs.write(path, new Uint8Array(0))
      }
      ctx.stdout.write(`${name}\n`)
      return 0
    } catch (thrown) {
      if (!parsed.has('q')) report(ctx, `failed to create ${parsed.has('d') ? 'directory' : 'file'} via template ${quoteLocale(base)}: ${fsReason(thrown)}`)
      return 1
    }
  }
  if (!parsed.has('q')) report(ctx, `failed to create file via template ${quoteLocale(base)}: File exists`)
  return 1
}
