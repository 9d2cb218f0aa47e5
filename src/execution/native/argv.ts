/**
 * A getopt_long-style parser shared by the utilities: clustered short
 * options (`-rn`), values attached or separate (`-n5`, `-n 5`), long options
 * with `=` or a separate value and unambiguous prefixes (`--line=3`), `--`,
 * and GNU's permutation (options may follow operands). An option the spec
 * does not know is an `UnsupportedFeature` (tier 4 runs the real tool, which
 * either implements it or prints the real error); a missing value is a
 * `UsageError` with GNU's wording.
 */
import { UnsupportedFeature, UsageError } from './context'

export interface LongOption {
  /** The key the option is recorded under (usually its short letter). */
  key: string
  /** true: needs a value (`--lines=3`, `--lines 3`); 'optional': only as `--color=never`. */
  value?: boolean | 'optional'
}

export interface OptionSpec {
  /** Short options without a value, e.g. `'nrf'`. */
  flags?: string
  /** Short options that take a value, e.g. `'kt'`. */
  withValue?: string
  long?: Readonly<Record<string, LongOption>>
  /** Treat everything from the first operand on as operands (no permutation). */
  stopAtFirstOperand?: boolean
  /** Arguments that look like negative numbers (`-5`, `-.5`) are operands, as in seq. */
  negativeNumbers?: boolean
}

export interface ParsedOption {
  key: string
  value: string | undefined
}

export class ParsedArgs {
  constructor(
    /** Every option in command-line order (later ones override earlier ones). */
    readonly options: readonly ParsedOption[],
    readonly operands: readonly string[],
  ) {}

  has(key: string): boolean {
    return this.options.some((option) => option.key === key)
  }

  /** The value of the last occurrence of `key`. */
  last(key: string): string | undefined {
    for (let i = this.options.length - 1; i >= 0; i--) {
      const option = this.options[i]
      if (option?.key === key) return option.value
    }
    return undefined
  }

  all(key: string): string[] {
    return this.options.filter((option) => option.key === key).map((option) => option.value ?? '')
  }
}

function findLong(utility: string, spec: OptionSpec, name: string): [string, LongOption] {
  const long = spec.long ?? {}
  const exact = long[name]
  if (exact) return [name, exact]
  const matches = Object.entries(long).filter(([candidate]) => candidate.startsWith(name))
  const distinct = new Set(matches.map(([, option]) => option.key))
  const [first] = matches
  if (first && distinct.size === 1) return first
  if (matches.length > 1) {
    const names = matches.map(([candidate]) => `'--${candidate}'`).join(' ')
    throw new UsageError(`option '--${name}' is ambiguous; possibilities: ${names}`)
  }
  throw new UnsupportedFeature(utility, `option '--${name}'`)
}

export function parseArgs(utility: string, args: readonly string[], spec: OptionSpec): ParsedArgs {
  const options: ParsedOption[] = []
  const operands: string[] = []
  const flags = spec.flags ?? ''
  const withValue = spec.withValue ?? ''
  let i = 0
  while (i < args.length) {
    const arg = args[i++] as string
    if (arg === '--') {
      operands.push(...args.slice(i))
      break
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=')
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq)
      const [fullName, option] = findLong(utility, spec, name)
      if (option.value === 'optional') {
        options.push({ key: option.key, value: eq === -1 ? undefined : arg.slice(eq + 1) })
      } else if (option.value) {
        const value = eq === -1 ? args[i++] : arg.slice(eq + 1)
        if (value === undefined) throw new UsageError(`option '--${fullName}' requires an argument`)
        options.push({ key: option.key, value })
      } else {
        if (eq !== -1) throw new UsageError(`option '--${fullName}' doesn't allow an argument`)
        options.push({ key: option.key, value: undefined })
      }
      continue
    }
    const negativeNumber = spec.negativeNumbers && /^-\.?\d/.test(arg)
    if (arg.length < 2 || !arg.startsWith('-') || negativeNumber) {
      if (spec.stopAtFirstOperand) {
        operands.push(arg, ...args.slice(i))
        break
      }
      operands.push(arg)
      continue
    }
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j] as string
      if (withValue.includes(letter)) {
        const value = j + 1 < arg.length ? arg.slice(j + 1) : args[i++]
        if (value === undefined) throw new UsageError(`option requires an argument -- '${letter}'`)
        options.push({ key: letter, value })
        break
      }
      if (!flags.includes(letter)) throw new UnsupportedFeature(utility, `option '-${letter}'`)
      options.push({ key: letter, value: undefined })
    }
  }
  return new ParsedArgs(options, operands)
}
