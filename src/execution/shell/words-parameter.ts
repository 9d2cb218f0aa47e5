/**
 * Reads `${…}`: the name (variable, positional, special, `name[index]`),
 * the `#` and `!` prefixes, and the operator with its words — defaults
 * (`:-` `:=` `:?` `:+`), trims (`#` `##` `%` `%%`), replacement (`/` `//`
 * `/#` `/%`), substrings (`:o:l`) and case (`^^` `,,`). Patterns stay
 * patterns inside double quotes, as in bash; default words take the quoting
 * of the expansion around them.
 */
import type { ParamOp, Word, WordPart } from './ast'
import type { Source } from './source'
import type { ReadOptions, WordBuilder } from './words'

type ReadParts = (src: Source, builder: WordBuilder, options: ReadOptions) => void
type Builder = new () => WordBuilder

const NAME = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!\-])/

function wordUntil(src: Source, stops: string, allQuoted: boolean, readParts: ReadParts, make: Builder): Word {
  const start = src.i
  const builder = new make()
  readParts(src, builder, { stop: (s) => stops.includes(s.char as string), allQuoted })
  return { parts: builder.parts, column: src.column(start) }
}

export function readParameter(src: Source, builder: WordBuilder, quoted: boolean, readParts: ReadParts): void {
  const make = builder.constructor as Builder
  const open = src.i
  src.i += 2
  let prefix: '#' | '!' | undefined
  if ((src.is('#') || src.is('!')) && src.at(1) !== '}' && src.at(1) !== undefined && !/[-=?+:]/.test(src.at(1) as string)) {
    prefix = src.is('#') ? '#' : '!'
    src.i++
  }
  const name = NAME.exec(src.text.slice(src.i, src.i + 200))
  if (!name) src.unsupported(`\${${src.text.slice(src.i, src.text.indexOf('}', src.i))}}: bad substitution`, open)
  src.i += name[0].length
  const part: WordPart & { kind: 'parameter' } = { kind: 'parameter', name: name[0], quoted }
  if (src.is('[')) {
    src.i++
    part.index = wordUntil(src, ']', true, readParts, make)
    if (!src.is(']')) src.fail("unexpected EOF while looking for matching `]'", open)
    src.i++
  }
  const op = prefix === '#' ? lengthOp(src, open) : prefix === '!' ? bangOp(src, part, open) : readOperator(src, quoted, readParts, make, open)
  if (op) part.op = op
  if (!src.is('}')) src.fail("unexpected EOF while looking for matching `}'", open)
  src.i++
  builder.push(part)
}

function lengthOp(src: Source, open: number): ParamOp {
  if (!src.is('}')) src.unsupported('bad substitution', open)
  return { kind: 'length' }
}

function bangOp(src: Source, part: WordPart & { kind: 'parameter' }, open: number): ParamOp {
  const index = part.index?.parts[0]
  if (index?.kind === 'literal' && (index.text === '@' || index.text === '*')) {
    delete part.index
    return { kind: 'keys' }
  }
  if (src.is('*') || src.is('@')) {
    src.i++
    return { kind: 'names' }
  }
  if (!src.is('}')) src.unsupported('indirect expansion with an operator', open)
  return { kind: 'indirect' }
}

function readOperator(src: Source, quoted: boolean, readParts: ReadParts, make: Builder, open: number): ParamOp | undefined {
  const char = src.char
  if (char === '}') return undefined
  const colon = char === ':'
  const after = colon ? src.at(1) : char
  if (after !== undefined && '-=?+'.includes(after)) {
    src.i += colon ? 2 : 1
    return { kind: 'default', op: after as '-', colon, word: wordUntil(src, '}', quoted, readParts, make) }
  }
  if (colon) {
    src.i++
    const offset = wordUntil(src, ':}', true, readParts, make)
    if (!src.is(':')) return { kind: 'slice', offset }
    src.i++
    return { kind: 'slice', offset, length: wordUntil(src, '}', true, readParts, make) }
  }
  if (char === '#' || char === '%') {
    const doubled = src.at(1) === char
    src.i += doubled ? 2 : 1
    return { kind: 'trim', op: (doubled ? char + char : char) as '#', pattern: wordUntil(src, '}', false, readParts, make) }
  }
  if (char === '/') {
    const second = src.at(1)
    const mode = second === '/' ? '//' : second === '#' ? '#' : second === '%' ? '%' : '/'
    src.i += mode === '/' ? 1 : 2
    const pattern = wordUntil(src, '/}', false, readParts, make)
    let replacement: Word = { parts: [], column: src.column() }
    if (src.is('/')) {
      src.i++
      replacement = wordUntil(src, '}', quoted, readParts, make)
    }
    return { kind: 'replace', mode, pattern, replacement }
  }
  if (char === '^' || char === ',') {
    const doubled = src.at(1) === char
    src.i += doubled ? 2 : 1
    if (!src.is('}')) src.unsupported('case modification with a pattern', open)
    return { kind: 'case', op: (doubled ? char + char : char) as '^' }
  }
  return src.unsupported(`\${…${char ?? ''}…}: this parameter operator`, open)
}
