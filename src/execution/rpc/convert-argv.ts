/**
 * `convert --from FORMAT --to FORMAT [-c] [--no-header] [FILE]` into the
 * convert service's typed request, parsed with the same getopt_long rules
 * as the tier-1 utilities.
 */
import { FORMATS, type ConvertRequest, type Format } from '../../../services/convert/src/protocol'
import { parseArgs } from '../native/argv'
import { UsageError } from '../native/context'

const SPEC = {
  flags: 'c',
  withValue: 'ft',
  long: {
    from: { key: 'f', value: true },
    to: { key: 't', value: true },
    compact: { key: 'c' },
    'no-header': { key: 'H' },
  },
}

export interface ConvertInvocation {
  request: Omit<ConvertRequest, 'input' | 'traceparent' | 'deadline'>
  files: string[]
}

function format(value: string | undefined, option: string): Format {
  if (value === undefined) throw new UsageError(`${option} FORMAT is required (one of ${FORMATS.join(', ')})`)
  const found = FORMATS.find((candidate) => candidate === value.toLowerCase())
  if (!found) throw new UsageError(`unknown format '${value}' for ${option}; use one of ${FORMATS.join(', ')}`)
  return found
}

export function parseConvertArgv(argv: readonly string[]): ConvertInvocation {
  const parsed = parseArgs('convert', argv, SPEC)
  if (parsed.operands.length > 1) throw new UsageError('give at most one input file (or none to read stdin)')
  return {
    request: {
      from: format(parsed.last('f'), '--from'),
      to: format(parsed.last('t'), '--to'),
      options: { compact: parsed.has('c'), noHeader: parsed.has('H') },
    },
    files: [...parsed.operands],
  }
}
