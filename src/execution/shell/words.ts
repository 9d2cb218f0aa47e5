/**
 * Reads words: quoting ('…', "…", $'…', backslashes), parameter expansion
 * ($x, ${…} with its operators), command substitution ($(…), `…`) and
 * arithmetic ($((…))). A word is a list of parts; quoted parts are later
 * neither split nor globbed. Brace and tilde expansion happen at expansion
 * time on the unquoted literal text.
 */
import type { Word, WordPart } from './ast'
import { readParameter } from './words-parameter'
import { decodeAnsiC } from './ansi-c'
import { Source } from './source'

/** Characters that end an unquoted word in command context. */
const WORD_END = ' \t\n;&|<>()'

export class WordBuilder {
  readonly parts: WordPart[] = []

  literal(text: string, quoted: boolean): void {
    const last = this.parts[this.parts.length - 1]
    if (last?.kind === 'literal' && last.quoted === quoted) last.text += text
    else this.parts.push({ kind: 'literal', text, quoted })
  }

  push(part: WordPart): void {
    this.parts.push(part)
  }
}

export interface ReadOptions {
  /** Stop before this character when unquoted (default: the command-context word ends). */
  stop: (src: Source) => boolean
  /** Every literal counts as quoted (arithmetic text, here-document bodies). */
  allQuoted?: boolean
  /** Here-document body: quotes are literal, a backslash escapes only $ ` \ and newline. */
  heredoc?: boolean
}

const commandStop = (src: Source): boolean => WORD_END.includes(src.char as string)

/** Reads parts until `options.stop`; the caller decides what a word is. */
export function readParts(src: Source, builder: WordBuilder, options: ReadOptions): void {
  const quotedLiteral = options.allQuoted ?? false
  while (!src.done && !options.stop(src)) {
    const char = src.char as string
    if (char === '\\') {
      const next = src.at(1)
      if (next === '\n') src.i += 2
      else if (options.heredoc && (next === undefined || !'$`\\'.includes(next))) {
        builder.literal('\\', true)
        src.i++
      } else {
        src.i += 2
        builder.literal(next ?? '\\', next !== undefined || quotedLiteral)
      }
    } else if (char === "'" && !options.heredoc) {
      const close = src.text.indexOf("'", src.i + 1)
      if (close === -1) src.fail("unexpected EOF while looking for matching `''")
      builder.literal(src.text.slice(src.i + 1, close), true)
      src.i = close + 1
    } else if (char === '"' && !options.heredoc) {
      readDoubleQuoted(src, builder)
    } else if (char === '$') {
      readDollar(src, builder, quotedLiteral)
    } else if (char === '`') {
      readBackticks(src, builder, quotedLiteral)
    } else {
      builder.literal(char, quotedLiteral)
      src.i++
    }
  }
}

function readDoubleQuoted(src: Source, builder: WordBuilder): void {
  const open = src.i
  const before = builder.parts.length
  src.i++
  for (;;) {
    const char = src.char
    if (char === undefined) src.fail('unexpected EOF while looking for matching `"\'', open)
    if (char === '"') {
      src.i++
      // "" is an empty word, not nothing: remember it with an empty quoted part.
      if (builder.parts.length === before) builder.push({ kind: 'literal', text: '', quoted: true })
      return
    }
    if (char === '\\') {
      const next = src.at(1)
      if (next === '\n') src.i += 2
      else if (next !== undefined && '$`"\\'.includes(next)) {
        builder.literal(next, true)
        src.i += 2
      } else {
        builder.literal('\\', true)
        src.i++
      }
    } else if (char === '$') readDollar(src, builder, true)
    else if (char === '`') readBackticks(src, builder, true)
    else {
      builder.literal(char, true)
      src.i++
    }
  }
}

/** `$(( … ))` ends where a `))` closes it at depth 0; `undefined` when it is really `$( (…) )`. */
function arithmeticEnd(src: Source, from: number): number | undefined {
  let depth = 0
  for (let i = from; i < src.text.length; i++) {
    const char = src.text[i]
    if (char === '(') depth++
    else if (char === ')') {
      if (depth > 0) depth--
      else return src.text[i + 1] === ')' ? i : undefined
    }
  }
  return undefined
}

/** The text of `$((…))` or `((…))` as a word whose literals are all quoted. */
export function arithmeticWord(src: Source, start: number, end: number): Word {
  const inner = new Source(src.text.slice(start, end), src.position(start))
  inner.subList = src.subList
  const builder = new WordBuilder()
  readParts(inner, builder, { stop: (s) => s.char === '"', allQuoted: true })
  // Double quotes inside arithmetic only group; drop them and keep reading.
  while (!inner.done) {
    inner.i++
    readParts(inner, builder, { stop: (s) => s.char === '"', allQuoted: true })
  }
  return { parts: builder.parts, column: src.column(start) }
}

export { arithmeticEnd }

function readDollar(src: Source, builder: WordBuilder, quoted: boolean): void {
  const start = src.i
  const next = src.at(1)
  if (next === '(') {
    if (src.at(2) === '(') {
      const end = arithmeticEnd(src, start + 3)
      if (end !== undefined) {
        builder.push({ kind: 'arith', expr: arithmeticWord(src, start + 3, end), quoted })
        src.i = end + 2
        return
      }
    }
    src.i += 2
    const list = src.subList(src)
    if (!src.is(')')) src.fail("unexpected EOF while looking for matching `)'", start)
    src.i++
    builder.push({ kind: 'command', list, quoted })
    return
  }
  if (next === '{') return readParameter(src, builder, quoted, readParts)
  if (next === "'" && !quoted) {
    const { text, end } = decodeAnsiC(src.text, start + 2)
    if (end === undefined) src.fail("unexpected EOF while looking for matching `''", start)
    builder.literal(text, true)
    src.i = end + 1
    return
  }
  if (next === '"' && !quoted) {
    // $"…" is a translatable string: without a catalogue it is "…".
    src.i++
    return
  }
  const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.text.slice(start + 1, start + 200))
  if (name) {
    builder.push({ kind: 'parameter', name: name[0], quoted })
    src.i += 1 + name[0].length
    return
  }
  if (next !== undefined && /[0-9?#@*$!\-]/.test(next)) {
    builder.push({ kind: 'parameter', name: next, quoted })
    src.i += 2
    return
  }
  builder.literal('$', quoted)
  src.i++
}

function readBackticks(src: Source, builder: WordBuilder, quoted: boolean): void {
  const open = src.i
  let body = ''
  let i = open + 1
  for (;;) {
    const char = src.text[i]
    if (char === undefined) src.fail('unexpected EOF while looking for matching ``\'', open)
    if (char === '`') break
    if (char === '\\' && src.text[i + 1] !== undefined && ('$`\\'.includes(src.text[i + 1] as string) || (quoted && src.text[i + 1] === '"'))) {
      body += src.text[i + 1]
      i += 2
      continue
    }
    body += char
    i++
  }
  src.i = i + 1
  const inner = new Source(body, src.position(open + 1))
  inner.subList = src.subList
  inner.heredocWord = src.heredocWord
  builder.push({ kind: 'command', list: src.subList(inner), quoted })
  if (!inner.done) inner.fail(`unexpected token \`${inner.char}'`)
}

/** Reads one word in command context; `undefined` when no word starts here. */
export function readWord(src: Source): Word | undefined {
  const start = src.i
  const builder = new WordBuilder()
  readParts(src, builder, { stop: commandStop })
  if (src.i === start) return undefined
  const word: Word = { parts: builder.parts, column: src.column(start) }
  const [only] = builder.parts
  if (src.is('(') && builder.parts.length === 1 && only?.kind === 'literal' && !only.quoted && /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=$/.test(only.text)) {
    word.array = readArrayElements(src)
  }
  return word
}

/** `name=( a b [k]=v )`: elements separated by blanks and newlines, comments allowed. */
function readArrayElements(src: Source): Word[] {
  const open = src.i
  src.i++
  const elements: Word[] = []
  for (;;) {
    while (src.is(' ') || src.is('\t') || src.is('\n')) src.i++
    if (src.is('#')) while (!src.done && !src.is('\n')) src.i++
    else if (src.is(')')) {
      src.i++
      return elements
    } else if (src.done) src.fail("unexpected EOF while looking for matching `)'", open)
    else {
      const word = readWord(src)
      if (!word) src.fail(`syntax error near unexpected token \`${src.char}'`)
      elements.push(word)
    }
  }
}

/** A here-document body with expansions (unquoted delimiter). */
export function heredocWord(body: string, column: number, parent: Source): Word {
  const inner = new Source(body)
  inner.subList = parent.subList
  const builder = new WordBuilder()
  readParts(inner, builder, { stop: () => false, allQuoted: true, heredoc: true })
  return { parts: builder.parts, column }
}
