/**
 * awk's lexer. Two things depend on context: a `/` starts a regex literal
 * only where an operand may begin (after an operator, `(`, `,`, a keyword…),
 * and a name directly followed by `(` is a function call (FUNC_NAME) — awk
 * forbids the space there for user functions. Newlines are tokens (they end
 * statements); a backslash-newline is a continuation and `#` starts a comment.
 */
import { AwkSyntaxError } from './errors'

export type TokenKind = 'number' | 'string' | 'regex' | 'name' | 'funcName' | 'builtin' | 'keyword' | 'punct' | 'newline' | 'eof'

export interface Token {
  kind: TokenKind
  text: string
  /** The decoded value of a string or regex literal, or the number. */
  value?: string | number
  line: number
}

const KEYWORDS = new Set(['BEGIN', 'END', 'function', 'func', 'if', 'else', 'while', 'for', 'do', 'break', 'continue', 'next', 'nextfile', 'exit', 'return', 'delete', 'getline', 'print', 'printf', 'in'])

export const BUILTIN_FUNCTIONS = new Set(['length', 'substr', 'index', 'split', 'sub', 'gsub', 'match', 'sprintf', 'tolower', 'toupper', 'int', 'sqrt', 'exp', 'log', 'sin', 'cos', 'atan2', 'rand', 'srand', 'close', 'fflush', 'system'])

/** Longest first, so `**=` wins over `**` and `*`. */
const PUNCTUATION = ['**=', '&&', '||', '==', '<=', '>=', '!=', '++', '--', '+=', '-=', '*=', '/=', '%=', '^=', '>>', '!~', '**', '{', '}', '(', ')', '[', ']', ';', ',', '+', '-', '*', '/', '%', '^', '!', '>', '<', '|', '?', ':', '~', '$', '=']

/** After these a `/` divides; anywhere else it opens a regex. */
function endsOperand(token: Token | undefined): boolean {
  if (!token) return false
  if (token.kind === 'number' || token.kind === 'string' || token.kind === 'regex' || token.kind === 'name' || token.kind === 'builtin') return true
  return token.kind === 'punct' && (token.text === ')' || token.text === ']' || token.text === '$' || token.text === '++' || token.text === '--')
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', '/': '/', a: '\x07', b: '\b', f: '\f', v: '\v' }

export class Lexer {
  private i = 0
  private line = 1
  private last: Token | undefined
  /** gawk's warnings about escapes it took literally, printed before the program runs. */
  readonly warnings: Array<{ line: number; message: string }> = []

  constructor(private readonly source: string) {}

  tokenize(): Token[] {
    const tokens: Token[] = []
    for (;;) {
      const token = this.next()
      tokens.push(token)
      this.last = token
      if (token.kind === 'eof') return tokens
    }
  }

  private error(message: string): never {
    throw new AwkSyntaxError(message, this.line)
  }

  private next(): Token {
    const src = this.source
    for (;;) {
      const c = src[this.i]
      if (c === ' ' || c === '\t' || c === '\r') this.i++
      else if (c === '\\' && src[this.i + 1] === '\n') {
        this.i += 2
        this.line++
      } else if (c === '\\' && src[this.i + 1] === '\r' && src[this.i + 2] === '\n') {
        this.i += 3
        this.line++
      } else if (c === '#') {
        while (this.i < src.length && src[this.i] !== '\n') this.i++
      } else break
    }
    const line = this.line
    if (this.i >= src.length) return { kind: 'eof', text: '', line }
    const c = src[this.i] as string
    if (c === '\n') {
      this.i++
      this.line++
      return { kind: 'newline', text: '\n', line }
    }
    if (c === '"') return this.string(line)
    if (c === '/' && !endsOperand(this.last)) return this.regex(line)
    if (/^\.?[0-9]/.test(src.slice(this.i, this.i + 2))) return this.number(line)
    if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(this.i)) as RegExpExecArray
      const text = match[0]
      this.i += text.length
      if (KEYWORDS.has(text)) return { kind: 'keyword', text: text === 'func' ? 'function' : text, line }
      if (BUILTIN_FUNCTIONS.has(text)) return { kind: 'builtin', text, line }
      return { kind: src[this.i] === '(' ? 'funcName' : 'name', text, line }
    }
    for (const punct of PUNCTUATION) {
      if (src.startsWith(punct, this.i)) {
        this.i += punct.length
        return { kind: 'punct', text: punct, line }
      }
    }
    this.error(`invalid char '${c}' in expression`)
  }

  private number(line: number): Token {
    // gawk reads 0x1A and 011 in program text as hex and octal (not in input data).
    const based = /^0[xX][0-9a-fA-F]+|^0[0-7]+(?![.eE0-9])/.exec(this.source.slice(this.i))
    if (based) {
      this.i += based[0].length
      const text = based[0]
      return { kind: 'number', text, value: /^0[xX]/.test(text) ? parseInt(text.slice(2), 16) : parseInt(text, 8), line }
    }
    const match = /^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?/.exec(this.source.slice(this.i)) as RegExpExecArray
    this.i += match[0].length
    return { kind: 'number', text: match[0], value: Number(match[0]), line }
  }

  private string(line: number): Token {
    const src = this.source
    let out = ''
    this.i++
    for (;;) {
      const c = src[this.i]
      if (c === undefined || c === '\n') this.error('unterminated string')
      this.i++
      if (c === '"') break
      if (c !== '\\') {
        out += c
        continue
      }
      out += this.escape()
    }
    return { kind: 'string', text: out, value: out, line }
  }

  /** One escape after a backslash inside a string. */
  private escape(): string {
    if (this.source[this.i] === undefined) this.error('unterminated string')
    if (this.source[this.i] === '\n') {
      this.i++
      this.line++
      return ''
    }
    const decoded = readEscape(this.source, this.i)
    this.i = decoded.next
    if (decoded.warning) this.warnings.push({ line: this.line, message: decoded.warning })
    return decoded.text
  }

  /** A regex literal's text, kept for the regex engine except `\/`, which is a plain slash. */
  private regex(line: number): Token {
    const src = this.source
    let out = ''
    let inBracket = false
    this.i++
    for (;;) {
      const c = src[this.i]
      if (c === undefined || c === '\n') this.error('unterminated regexp')
      this.i++
      if (c === '\\') {
        const following = src[this.i]
        if (following === '/') out += '/'
        else if (following === '\n') this.line++
        else out += `\\${following ?? ''}`
        this.i++
        continue
      }
      if (inBracket) {
        if (c === ']' && !/\[\^?$/.test(out)) inBracket = false
      } else if (c === '[') inBracket = true
      else if (c === '/') break
      out += c
    }
    return { kind: 'regex', text: out, value: out, line }
  }
}

/** Decodes the escape whose letter is at `at` (just after the backslash): C escapes, octal, and gawk's literal fallback with a warning. */
export function readEscape(source: string, at: number): { text: string; next: number; warning?: string } {
  const c = source[at] as string
  const simple = SIMPLE_ESCAPES[c]
  if (simple !== undefined) return { text: simple, next: at + 1 }
  const octal = /^[0-7]{1,3}/.exec(source.slice(at, at + 3))
  if (octal) return { text: String.fromCharCode(parseInt(octal[0], 8) & 0xff), next: at + octal[0].length }
  return { text: c, next: at + 1, warning: `warning: escape sequence \`\\${c}' treated as plain \`${c}'` }
}

/** Escape sequences in a command-line value (-v, -F, var=value operands), as gawk processes them. */
export function decodeEscapes(text: string): { text: string; warnings: string[] } {
  let out = ''
  const warnings: string[] = []
  for (let i = 0; i < text.length; ) {
    if (text[i] !== '\\' || i + 1 >= text.length) {
      out += text[i++]
      continue
    }
    const decoded = readEscape(text, i + 1)
    out += decoded.text
    if (decoded.warning) warnings.push(decoded.warning)
    i = decoded.next
  }
  return { text: out, warnings }
}
