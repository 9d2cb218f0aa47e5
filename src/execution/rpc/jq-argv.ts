/**
 * jq's command line (`jq [options] filter [files...]`) into the jq service's
 * typed request. Options may come before or after the filter and short ones
 * cluster (`-rc`), as with the CLI. An option the service does not offer is
 * an UnsupportedFeature, which the executor reports as retriable NOT_SUPPORTED
 * so the router re-runs the stage on tier 4 where the real jq binary answers.
 */
import type { JqOptions } from '../../../services/jq/src/protocol'
import { UnsupportedFeature, UsageError } from '../native/context'

export interface JqInvocation {
  filter: string
  options: JqOptions
  files: string[]
}

type BooleanOption = 'compact' | 'rawOutput' | 'joinOutput' | 'asciiOutput' | 'slurp' | 'nullInput' | 'rawInput' | 'sortKeys' | 'tab'

const SHORT: Readonly<Record<string, BooleanOption | 'monochrome'>> = {
  c: 'compact',
  r: 'rawOutput',
  j: 'joinOutput',
  a: 'asciiOutput',
  s: 'slurp',
  n: 'nullInput',
  R: 'rawInput',
  S: 'sortKeys',
  M: 'monochrome',
}

const LONG: Readonly<Record<string, BooleanOption | 'monochrome'>> = {
  'compact-output': 'compact',
  'raw-output': 'rawOutput',
  'join-output': 'joinOutput',
  'ascii-output': 'asciiOutput',
  slurp: 'slurp',
  'null-input': 'nullInput',
  'raw-input': 'rawInput',
  'sort-keys': 'sortKeys',
  tab: 'tab',
  'monochrome-output': 'monochrome',
}

function setFlag(options: JqOptions, flag: BooleanOption | 'monochrome'): void {
  // Output never goes to a terminal here, so it is always monochrome already.
  if (flag !== 'monochrome') options[flag] = true
}

/** Takes the `count` values that follow option `name` at `index`. */
function values(argv: readonly string[], index: number, name: string, count: number): string[] {
  const taken = argv.slice(index + 1, index + 1 + count)
  if (taken.length < count) throw new UsageError(`${name} takes ${count === 1 ? 'a parameter' : `${count} parameters`} (e.g. ${name} ${count === 1 ? '2' : 'name value'})`)
  return taken
}

/** Handles a long option at argv[index]; returns how many extra arguments it consumed. */
function longOption(argv: readonly string[], index: number, options: JqOptions): number {
  const arg = argv[index] ?? ''
  const name = arg.slice(2)
  const flag = LONG[name]
  if (flag) {
    setFlag(options, flag)
    return 0
  }
  if (name === 'indent') {
    const [text = ''] = values(argv, index, arg, 1)
    const indent = Number(text)
    if (!/^\d+$/.test(text) || indent > 7) throw new UsageError('Cannot indent more than 7 characters')
    options.indent = indent
    return 1
  }
  if (name === 'arg' || name === 'argjson') {
    const [variable = '', value = ''] = values(argv, index, arg, 2)
    const key = name === 'arg' ? 'args' : 'jsonArgs'
    options[key] = { ...options[key], [variable]: value }
    return 2
  }
  throw new UnsupportedFeature('jq', `option '${arg}'`)
}

export function parseJqArgv(argv: readonly string[]): JqInvocation {
  const options: JqOptions = {}
  const operands: string[] = []
  let onlyOperands = false
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? ''
    if (onlyOperands || arg === '-' || !arg.startsWith('-')) {
      operands.push(arg)
    } else if (arg === '--') {
      onlyOperands = true
    } else if (arg.startsWith('--')) {
      index += longOption(argv, index, options)
    } else {
      for (const letter of arg.slice(1)) {
        const flag = SHORT[letter]
        if (!flag) throw new UnsupportedFeature('jq', `option '-${letter}'`)
        setFlag(options, flag)
      }
    }
  }
  const [filter, ...files] = operands
  if (filter === undefined) throw new UsageError('no filter given; usage: jq [options] filter [files...]')
  return { filter, options, files }
}
