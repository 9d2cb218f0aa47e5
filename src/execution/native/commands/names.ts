/** basename (-a, -s, -z, a SUFFIX operand) and dirname (-z), string-only as in GNU. */
import { parseArgs } from '../argv'
import { UsageError, type Command } from '../context'
import { quoteLocale } from '../quote'

/** The last component, trailing slashes ignored; `/` stays `/`. */
function lastComponent(name: string): string {
  if (name === '') return ''
  const trimmed = name.replace(/\/+$/, '')
  if (trimmed === '') return '/'
  return trimmed.slice(trimmed.lastIndexOf('/') + 1)
}

function parentOf(name: string): string {
  const trimmed = name.replace(/\/+$/, '')
  if (trimmed === '') return name.startsWith('/') ? '/' : '.'
  const slash = trimmed.lastIndexOf('/')
  if (slash === -1) return '.'
  return trimmed.slice(0, slash).replace(/\/+$/, '') || '/'
}

export const basename: Command = async (ctx) => {
  const parsed = parseArgs('basename', ctx.args, {
    flags: 'az',
    withValue: 's',
    long: { multiple: { key: 'a' }, suffix: { key: 's', value: true }, zero: { key: 'z' } },
  })
  const operands = [...parsed.operands]
  if (operands.length === 0) throw new UsageError('missing operand')
  let suffix = parsed.last('s')
  const multiple = parsed.has('a') || suffix !== undefined
  if (!multiple) {
    if (operands.length > 2) throw new UsageError(`extra operand ${quoteLocale(operands[2] as string)}`)
    suffix = operands[1]
    operands.length = 1
  }
  const terminator = parsed.has('z') ? '\0' : '\n'
  for (const operand of operands) {
    let base = lastComponent(operand)
    if (suffix && base !== suffix && base.endsWith(suffix)) base = base.slice(0, -suffix.length)
    ctx.stdout.write(base + terminator)
  }
  return 0
}

export const dirname: Command = async (ctx) => {
  const parsed = parseArgs('dirname', ctx.args, { flags: 'z', long: { zero: { key: 'z' } } })
  if (parsed.operands.length === 0) throw new UsageError('missing operand')
  const terminator = parsed.has('z') ? '\0' : '\n'
  for (const operand of parsed.operands) ctx.stdout.write(parentOf(operand) + terminator)
  return 0
}
