/**
 * printf as coreutils: the format is reused while arguments remain, missing
 * arguments read as "" or 0, `%s` width and precision count bytes, `%c`
 * prints the first byte, `%b` decodes echo-style escapes, and `\c` anywhere
 * stops all output. Bad numbers print a diagnostic, use what parsed, and make
 * the exit status 1.
 */
import { ByteBuilder } from '../bytes'
import { UnsupportedFeature, UsageError, type Command, type CommandContext } from '../context'
import { decodeAllEscapes, decodeEscape } from '../escapes'
import { report } from '../io'
import { formatFloat, formatInteger, type ConversionSpec } from '../number-format'
import { quoteLocale, shellEscape } from '../quote'
import { encodeUtf8 } from '../text'
import { convertFloat, convertInteger, type Converted } from './printf-args'

const DIRECTIVE = /^%([-+ #0']*)(\*|\d+)?(?:\.(\*|\d*))?(?:hh|h|ll|l|L|j|z|Z|t)*(.)?/s

class Renderer {
  private next = 0
  failed = false
  stopped = false

  constructor(
    private readonly ctx: CommandContext,
    private readonly args: readonly string[],
    readonly out: ByteBuilder,
  ) {}

  get remaining(): number {
    return this.args.length - this.next
  }

  private take(): string | undefined {
    return this.next < this.args.length ? this.args[this.next++] : undefined
  }

  private converted<T>(result: Converted<T>): T {
    if (result.warning) report(this.ctx, result.warning)
    if (result.fails) this.failed = true
    return result.value
  }

  private starValue(): number {
    return Number(this.converted(convertInteger(this.take() ?? '', false)))
  }

  /** Renders the format once; returns how many arguments it consumed. */
  render(format: string): number {
    const start = this.next
    let i = 0
    while (i < format.length && !this.stopped) {
      const char = format[i] as string
      if (char === '\\') {
        const outcome = decodeEscape(format, i, this.out, 'format')
        this.stopped = outcome.stop
        i = outcome.next
      } else if (char !== '%') {
        const end = format.slice(i).search(/[\\%]/)
        const literal = end === -1 ? format.slice(i) : format.slice(i, i + end)
        this.out.text(literal)
        i += literal.length
      } else if (format[i + 1] === '%') {
        this.out.byte(0x25)
        i += 2
      } else {
        i += this.directive(format.slice(i))
      }
    }
    return this.next - start
  }

  private directive(text: string): number {
    const match = DIRECTIVE.exec(text) as RegExpExecArray
    const [whole, flags = '', width, precision, conversion] = match
    if (conversion === undefined || !/[diouxXfFeEgGaAcsbq]/.test(conversion)) {
      throw new UsageError(`${whole}: invalid conversion specification`, false)
    }
    if (/[aA]/.test(conversion)) throw new UnsupportedFeature('printf', `the %${conversion} conversion`)
    if (conversion === 'q' && whole !== '%q') throw new UsageError(`${whole}: invalid conversion specification`, false)
    const spec: ConversionSpec = { flags, width: undefined, precision: undefined, conversion }
    if (width === '*') {
      const value = this.starValue()
      spec.width = Math.abs(value)
      if (value < 0) spec.flags += '-'
    } else if (width !== undefined) spec.width = Number(width)
    if (precision === '*') {
      const value = this.starValue()
      if (value >= 0) spec.precision = value
    } else if (precision !== undefined) spec.precision = Number(precision || '0')
    this.convert(spec)
    return whole.length
  }

  private convert(spec: ConversionSpec): void {
    const arg = this.take()
    const conversion = spec.conversion
    if (conversion === 's' || conversion === 'c') {
      const bytes = encodeUtf8(arg ?? '')
      const body = conversion === 'c' ? (arg === undefined ? new Uint8Array([0]) : bytes.subarray(0, 1)) : bytes.subarray(0, spec.precision ?? bytes.length)
      this.padded(body, spec)
    } else if (conversion === 'q') {
      this.out.text(shellEscape(arg ?? ''))
    } else if (conversion === 'b') {
      const decoded = new ByteBuilder()
      this.stopped = decodeAllEscapes(arg ?? '', decoded, '%b')
      this.padded(decoded.bytes().subarray(0, spec.precision), spec)
    } else if (/[diouxX]/.test(conversion)) {
      this.out.text(formatInteger(this.converted(convertInteger(arg ?? '', !/[di]/.test(conversion))), spec))
    } else {
      this.out.text(formatFloat(this.converted(convertFloat(arg ?? '')), spec))
    }
  }

  private padded(body: Uint8Array, spec: ConversionSpec): void {
    const fill = ' '.repeat(Math.max(0, (spec.width ?? 0) - body.length))
    if (!spec.flags.includes('-')) this.out.text(fill)
    this.out.append(body)
    if (spec.flags.includes('-')) this.out.text(fill)
  }
}

export const printf: Command = async (ctx) => {
  const args = ctx.args[0] === '--' ? ctx.args.slice(1) : ctx.args
  const [format, ...rest] = args
  if (format === undefined) throw new UsageError('missing operand')
  const renderer = new Renderer(ctx, rest, new ByteBuilder())
  try {
    let consumed: number
    do consumed = renderer.render(format)
    while (consumed > 0 && renderer.remaining > 0 && !renderer.stopped)
  } finally {
    // What was formatted before an error is still printed, as GNU flushes stdout on exit.
    ctx.stdout.write(renderer.out.bytes())
  }
  if (renderer.remaining > 0 && !renderer.stopped) {
    report(ctx, `warning: ignoring excess arguments, starting with ${quoteLocale(rest[rest.length - renderer.remaining] as string)}`)
  }
  return renderer.failed ? 1 : 0
}
