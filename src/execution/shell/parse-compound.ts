/**
 * Compound commands: if/elif/else, for … in, for ((…)), while, until,
 * case … esac, { …; }, ( … ), ((…)), [[ … ]] and function definitions
 * (`function f { …; }`; `f() …` is recognised by the simple-command parser).
 * Each is entered at its keyword in command position.
 */
import type { CaseClause, Command, CommandList, Compound, CondExpr, FunctionDef, IfClause, Word } from './ast'
import type { Source } from './source'
import { arithmeticEnd, arithmeticWord, readParts, readWord, WordBuilder } from './words'

/** What the compound parsers need from the command parser. */
export interface ParserApi {
  readonly src: Source
  blank(): void
  newlines(): void
  op(): string | undefined
  keyword(): string | undefined
  expectKeyword(word: string, context: string): void
  unexpected(hint?: string): never
  list(terminators?: readonly string[]): CommandList
  body(terminators: readonly string[], context: string): CommandList
  command(): Command
  functionBody(name: string): Command
}

const compound = (body: Compound['body']): Compound => ({ kind: 'compound', body, redirects: [] })

/** The compound command starting here, or undefined when a simple command does. */
export function parseCompound(p: ParserApi): Compound | FunctionDef | undefined {
  const src = p.src
  const keyword = p.keyword()
  if (src.startsWith('((')) {
    const end = arithmeticEnd(src, src.i + 2)
    if (end !== undefined) {
      const expr = arithmeticWord(src, src.i + 2, end)
      src.i = end + 2
      return compound({ kind: 'arith', expr })
    }
  }
  if (src.is('(')) {
    src.i++
    const body = p.body([], 'a subshell needs a command')
    if (!src.is(')')) p.unexpected()
    src.i++
    return compound({ kind: 'subshell', body })
  }
  switch (keyword) {
    case '{': {
      src.i++
      const body = p.body(['}'], 'a group needs a command')
      p.expectKeyword('}', 'to close the group')
      return compound({ kind: 'group', body })
    }
    case 'if':
      return parseIf(p)
    case 'while':
    case 'until': {
      src.i += keyword.length
      const condition = p.body(['do'], `${keyword} needs a condition`)
      p.expectKeyword('do', `after the ${keyword} condition`)
      const body = p.body(['done'], 'the loop body is empty')
      p.expectKeyword('done', 'to close the loop')
      return compound({ kind: 'while', until: keyword === 'until', condition, body })
    }
    case 'for':
      return parseFor(p)
    case 'case':
      return parseCase(p)
    case '[[':
      src.i += 2
      return compound({ kind: 'cond', expr: parseCond(p) })
    case 'function': {
      src.i += 'function'.length
      p.blank()
      const name = /^[^\s$`'"|&;<>()]+/.exec(src.text.slice(src.i))?.[0]
      if (name === undefined) return p.unexpected()
      src.i += name.length
      p.blank()
      return p.functionBody(name) as FunctionDef
    }
    case 'select':
    case 'coproc':
      return src.unsupported(`'${keyword}'`)
    default:
      return undefined
  }
}

function parseIf(p: ParserApi): Compound {
  p.src.i += 2
  const branches: IfClause['branches'] = []
  let otherwise: CommandList | undefined
  for (let keyword = 'if'; ; ) {
    const condition = p.body(['then'], `${keyword} needs a condition`)
    p.expectKeyword('then', `after the ${keyword} condition`)
    branches.push({ condition, body: p.body(['elif', 'else', 'fi'], 'then needs a command') })
    p.newlines()
    keyword = p.keyword() ?? ''
    if (keyword === 'elif') {
      p.src.i += 4
      continue
    }
    if (keyword === 'else') {
      p.src.i += 4
      otherwise = p.body(['fi'], 'else needs a command')
    }
    p.expectKeyword('fi', 'to close the if')
    return compound(otherwise ? { kind: 'if', branches, otherwise } : { kind: 'if', branches })
  }
}

function loopBody(p: ParserApi): CommandList {
  p.newlines()
  if (p.keyword() === '{') {
    p.src.i++
    const body = p.body(['}'], 'the loop body is empty')
    p.expectKeyword('}', 'to close the loop body')
    return body
  }
  p.expectKeyword('do', 'to start the loop body')
  const body = p.body(['done'], 'the loop body is empty')
  p.expectKeyword('done', 'to close the loop')
  return body
}

function parseFor(p: ParserApi): Compound {
  const src = p.src
  src.i += 3
  p.blank()
  if (src.startsWith('((')) {
    const end = arithmeticEnd(src, src.i + 2)
    if (end === undefined) p.unexpected()
    const inner = src.text.slice(src.i + 2, end)
    const pieces = splitTopLevel(inner)
    if (pieces.length !== 3) src.fail('for ((…)) needs three expressions separated by ;')
    let offset = src.i + 2
    const words = pieces.map((piece) => {
      const word = arithmeticWord(src, offset, offset + piece.length)
      offset += piece.length + 1
      return word
    }) as [Word, Word, Word]
    src.i = end + 2
    p.blank()
    if (src.is(';')) src.i++
    return compound({ kind: 'arith-for', init: words[0], test: words[1], step: words[2], body: loopBody(p) })
  }
  const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.text.slice(src.i))?.[0]
  if (name === undefined) return src.fail(`\`${src.text.slice(src.i).split(/\s/)[0]}': not a valid identifier`)
  src.i += name.length
  p.newlines()
  let items: Word[] | undefined
  if (p.keyword() === 'in') {
    src.i += 2
    items = []
    for (;;) {
      p.blank()
      const op = p.op()
      if (op === ';' || op === '\n') {
        src.i++
        break
      }
      if (src.done || op !== undefined) p.unexpected()
      const word = readWord(src)
      if (!word) p.unexpected()
      items.push(word)
    }
  } else {
    p.blank()
    if (src.is(';')) src.i++
  }
  const body = loopBody(p)
  return compound(items ? { kind: 'for', name, items, body } : { kind: 'for', name, body })
}

/** Splits `a; b; c` at semicolons outside parentheses. */
function splitTopLevel(text: string): string[] {
  const pieces: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++
    else if (text[i] === ')') depth--
    else if (text[i] === ';' && depth === 0) {
      pieces.push(text.slice(start, i))
      start = i + 1
    }
  }
  pieces.push(text.slice(start))
  return pieces
}

function parseCase(p: ParserApi): Compound {
  const src = p.src
  src.i += 4
  p.blank()
  const subject = readWord(src)
  if (!subject) p.unexpected()
  p.newlines()
  p.expectKeyword('in', 'after the case word')
  const items: CaseClause['items'] = []
  for (;;) {
    p.newlines()
    if (p.keyword() === 'esac') {
      src.i += 4
      return compound({ kind: 'case', subject, items })
    }
    if (src.is('(')) src.i++
    const patterns: Word[] = []
    for (;;) {
      p.blank()
      const word = readWord(src)
      if (!word) p.unexpected()
      patterns.push(word)
      p.blank()
      if (src.is('|')) src.i++
      else break
    }
    if (!src.is(')')) p.unexpected()
    src.i++
    const body = p.list(['esac'])
    const op = p.op()
    let terminator: ';;' | ';&' | ';;&' = ';;'
    if (op === ';;' || op === ';&' || op === ';;&') {
      terminator = op
      src.i += op.length
    } else if (p.keyword() !== 'esac') p.unexpected()
    items.push({ patterns, body, terminator })
  }
}

const UNARY = new Set(['-a', '-b', '-c', '-d', '-e', '-f', '-g', '-h', '-k', '-p', '-r', '-s', '-t', '-u', '-w', '-x', '-G', '-L', '-N', '-O', '-S', '-z', '-n', '-o', '-v', '-R'])
const BINARY = new Set(['==', '=', '!=', '=~', '<', '>', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-nt', '-ot', '-ef'])

/** `[[ … ]]`: ! && || ( ), unary tests, binary comparisons; `=~` takes a regex operand. */
function parseCond(p: ParserApi): CondExpr {
  const src = p.src
  const skip = () => {
    while (src.is(' ') || src.is('\t') || src.is('\n')) src.i++
  }
  const atEnd = () => src.startsWith(']]') && /^[ \t\n;&|)]?$/.test(src.at(2) ?? '')
  const word = (): Word => {
    skip()
    if (atEnd() || src.done) p.unexpected('a [[ test needs an operand')
    const read = readWord(src)
    if (!read) p.unexpected()
    return read
  }
  const regexWord = (): Word => {
    skip()
    const start = src.i
    const builder = new WordBuilder()
    let depth = 0
    readParts(src, builder, {
      stop: (s) => {
        const char = s.char as string
        if (char === '(') depth++
        else if (char === ')') {
          if (depth === 0) return true
          depth--
        } else if (depth === 0 && ' \t\n'.includes(char)) return true
        return false
      },
    })
    if (src.i === start) p.unexpected()
    return { parts: builder.parts, column: src.column(start) }
  }
  const primary = (): CondExpr => {
    skip()
    if (src.is('!') && /[ \t(]/.test(src.at(1) ?? '')) {
      src.i++
      return { kind: 'not', expr: primary() }
    }
    if (src.is('(')) {
      src.i++
      const inner = orExpr()
      skip()
      if (!src.is(')')) p.unexpected()
      src.i++
      return inner
    }
    const first = word()
    const text = first.parts.length === 1 && first.parts[0]?.kind === 'literal' && !first.parts[0].quoted ? first.parts[0].text : undefined
    skip()
    if (text !== undefined && UNARY.has(text) && !atEnd() && !src.startsWith('&&') && !src.startsWith('||') && !src.is(')')) {
      return { kind: 'unary', op: text, operand: word() }
    }
    const op = /^(==|=~|!=|=|<|>|-eq|-ne|-lt|-le|-gt|-ge|-nt|-ot|-ef)(?=[ \t])/.exec(src.text.slice(src.i, src.i + 4))?.[1]
    if (op && BINARY.has(op)) {
      src.i += op.length
      return { kind: 'binary', op, left: first, right: op === '=~' ? regexWord() : word() }
    }
    return { kind: 'word', word: first }
  }
  const andExpr = (): CondExpr => {
    let left = primary()
    for (;;) {
      skip()
      if (!src.startsWith('&&')) return left
      src.i += 2
      left = { kind: 'and', left, right: primary() }
    }
  }
  const orExpr = (): CondExpr => {
    let left = andExpr()
    for (;;) {
      skip()
      if (!src.startsWith('||')) return left
      src.i += 2
      left = { kind: 'or', left, right: andExpr() }
    }
  }
  const expr = orExpr()
  skip()
  if (!atEnd()) p.unexpected("expected ']]'")
  src.i += 2
  return expr
}
