/**
 * Glob patterns compiled once to a RegExp over absolute paths (`/a/b.txt`).
 *
 * Syntax: `*` and `?` within one component, `**` as a whole component for
 * zero or more directories (one or more at the end of a pattern), `[abc]`,
 * `[a-z]`, `[!a]`/`[^a]`, `{a,b}` (expanded first, nestable), `\x` for a
 * literal x. As in a shell, a wildcard does not match a leading `.` of a
 * component; write the dot to match dotfiles. A trailing `/` is ignored.
 *
 * No catastrophic backtracking: a naive `[^/]*a[^/]*a…` regex backtracks
 * polynomially in the number of stars. Between two stars (and between two
 * `**`) the fixed-width piece is matched at its leftmost position inside an
 * atomic group (`(?=(…))\N`, JS's way of writing one), which is what the
 * classic greedy wildcard algorithm does and is always correct because every
 * piece has a fixed width (in characters, or in components for `**`).
 */
import { FsError } from './errors'
import { assertSafeCharacters, MAX_PATH_BYTES, parentPath, utf8Length } from './paths'

/** Brace expansion may produce at most this many patterns. */
export const MAX_GLOB_ALTERNATIVES = 256

export interface CompiledGlob {
  matcher: RegExp
  /** Directories (absolute) under which every match lies. */
  baseDirectories: string[]
  /** Set when no alternative has a wildcard: the only paths the pattern can name. */
  literalPaths?: string[]
}

type Token =
  | { kind: 'literal'; char: string }
  | { kind: 'any' }
  | { kind: 'star' }
  | { kind: 'class'; source: string }

type Segment = { kind: 'globstar' } | { kind: 'component'; tokens: Token[] }

const REGEX_SYNTAX = /[\^$\\.*+?()[\]{}|/]/
/** One component that does not start with a dot (what a wildcard may cross). */
const HIDDEN_SAFE_COMPONENT = '/(?!\\.)[^/]+'

function escapeLiteral(char: string): string {
  return REGEX_SYNTAX.test(char) ? `\\${char}` : char
}

function codePointEscape(char: string): string {
  return `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`
}

/** Index just after the `}` that closes the `{` at `open`, with the top-level alternatives. */
function matchBraceGroup(pattern: string, open: number): { end: number; alternatives: string[] } | null {
  let depth = 0
  let start = open + 1
  const alternatives: string[] = []
  for (let i = open; i < pattern.length; i++) {
    const char = pattern[i]
    if (char === '\\') i++
    else if (char === '{') depth++
    else if (char === ',' && depth === 1) {
      alternatives.push(pattern.slice(start, i))
      start = i + 1
    } else if (char === '}' && --depth === 0) {
      if (alternatives.length === 0) return null
      alternatives.push(pattern.slice(start, i))
      return { end: i + 1, alternatives }
    }
  }
  return null
}

/** `a{b,c{d,e}}` → `ab`, `acd`, `ace`. A `{` without a closing `}` or a comma stays literal. */
export function expandBraces(pattern: string, reportAs = pattern): string[] {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '\\') {
      i++
      continue
    }
    if (pattern[i] !== '{') continue
    const group = matchBraceGroup(pattern, i)
    if (!group) continue
    const results: string[] = []
    for (const alternative of group.alternatives) {
      const expanded = `${pattern.slice(0, i)}${alternative}${pattern.slice(group.end)}`
      results.push(...expandBraces(expanded, reportAs))
      if (results.length > MAX_GLOB_ALTERNATIVES) {
        throw new FsError('EINVAL', reportAs, { hint: `brace expansion may produce at most ${MAX_GLOB_ALTERNATIVES} patterns` })
      }
    }
    return results
  }
  return [pattern]
}

/** Parses `[...]` starting at `open`; null when it does not close (then `[` is literal). */
function parseClass(chars: string[], open: number, reportAs: string): { end: number; source: string } | null {
  let i = open + 1
  const negated = chars[i] === '!' || chars[i] === '^'
  if (negated) i++
  const members: string[] = []
  for (let first = true; i < chars.length; first = false) {
    let char = chars[i] as string
    if (char === ']' && !first) {
      const body = members.join('')
      return { end: i + 1, source: negated ? `[^/${body}]` : `[${body}]` }
    }
    if (char === '\\' && i + 1 < chars.length) char = chars[++i] as string
    const dash = chars[i + 1] === '-' && i + 2 < chars.length && chars[i + 2] !== ']'
    if (dash) {
      let last = chars[i + 2] as string
      i += 2
      if (last === '\\' && i + 1 < chars.length) last = chars[++i] as string
      if ((last.codePointAt(0) ?? 0) < (char.codePointAt(0) ?? 0)) {
        throw new FsError('EINVAL', reportAs, { hint: `the range ${char}-${last} in a [...] class is reversed` })
      }
      members.push(`${codePointEscape(char)}-${codePointEscape(last)}`)
    } else {
      members.push(codePointEscape(char))
    }
    i++
  }
  return null
}

function tokenize(component: string, reportAs: string): Token[] {
  const chars = [...component]
  const tokens: Token[] = []
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] as string
    if (char === '\\' && i + 1 < chars.length) {
      tokens.push({ kind: 'literal', char: chars[++i] as string })
    } else if (char === '*') {
      // `a**b` inside a component is just `*`.
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' })
    } else if (char === '?') {
      tokens.push({ kind: 'any' })
    } else if (char === '[') {
      const parsed = parseClass(chars, i, reportAs)
      if (parsed) {
        tokens.push({ kind: 'class', source: parsed.source })
        i = parsed.end - 1
      } else {
        tokens.push({ kind: 'literal', char })
      }
    } else {
      tokens.push({ kind: 'literal', char })
    }
  }
  return tokens
}

function literalText(tokens: Token[]): string | null {
  let text = ''
  for (const token of tokens) {
    if (token.kind !== 'literal') return null
    text += token.char
  }
  return text
}

/** Splits an absolute pattern into components, applying `.` and `..` to literal ones. */
function parseSegments(absolutePattern: string, reportAs: string): Segment[] {
  const segments: Segment[] = []
  for (const component of absolutePattern.split('/')) {
    if (component === '') continue
    if (component === '**') {
      if (segments.at(-1)?.kind !== 'globstar') segments.push({ kind: 'globstar' })
      continue
    }
    const tokens = tokenize(component, reportAs)
    const literal = literalText(tokens)
    if (literal === '.') continue
    if (literal === '..') {
      if (segments.length === 0) {
        throw new FsError('EACCES', reportAs, { hint: "'..' would leave the root of this filesystem" })
      }
      segments.pop()
      continue
    }
    segments.push({ kind: 'component', tokens })
  }
  return segments
}

class RegexBuilder {
  private groups = 0

  /**
   * Wraps `body` so the engine never backtracks into it once it has matched.
   * Named groups, because bodies are built inside-out and numbered groups
   * would be numbered by their position in the final source.
   */
  atomic(body: string): string {
    const name = `a${++this.groups}`
    return `(?=(?<${name}>${body}))\\k<${name}>`
  }

  component(tokens: Token[]): string {
    const startsWithDot = tokens[0]?.kind === 'literal' && tokens[0].char === '.'
    const pieces: string[][] = [[]]
    for (const token of tokens) {
      if (token.kind === 'star') pieces.push([])
      else (pieces.at(-1) as string[]).push(this.fixedWidth(token))
    }
    const hiddenGuard = startsWithDot ? '' : '(?!\\.)'
    const [first, ...rest] = pieces.map((piece) => piece.join(''))
    if (rest.length === 0) return `${hiddenGuard}${first}`
    const last = rest.pop() as string
    const middle = rest.map((piece) => this.atomic(`[^/]*?${piece}`)).join('')
    return `${hiddenGuard}${first}${middle}[^/]*${last}`
  }

  private fixedWidth(token: Exclude<Token, { kind: 'star' }>): string {
    if (token.kind === 'literal') return escapeLiteral(token.char)
    if (token.kind === 'any') return '[^/]'
    return token.source
  }

  path(segments: Segment[]): string {
    const runs: string[] = ['']
    for (const segment of segments) {
      if (segment.kind === 'globstar') runs.push('')
      else runs[runs.length - 1] += `/${this.component(segment.tokens)}`
    }
    const [head, ...rest] = runs
    if (rest.length === 0) return head || '/'
    const tail = rest.pop() as string
    const middle = rest.map((run) => this.atomic(`(?:${HIDDEN_SAFE_COMPONENT})*?${run}`)).join('')
    // A trailing `**` names what lies below, not the directory itself.
    const last = tail === '' ? `(?:${HIDDEN_SAFE_COMPONENT})+` : `(?:${HIDDEN_SAFE_COMPONENT})*${tail}`
    return `${head}${middle}${last}`
  }
}

function baseDirectory(segments: Segment[]): { base: string; literal: boolean } {
  const names: string[] = []
  for (const segment of segments) {
    const literal = segment.kind === 'component' ? literalText(segment.tokens) : null
    if (literal === null) return { base: `/${names.join('/')}`, literal: false }
    names.push(literal)
  }
  return { base: `/${names.join('/')}`, literal: true }
}

/** Compiles `pattern`, relative patterns being taken relative to the absolute `cwd`. */
export function compileGlob(pattern: string, cwd: string): CompiledGlob {
  if (typeof pattern !== 'string' || pattern === '') {
    throw new FsError('EINVAL', String(pattern), { hint: 'a glob pattern must be a non-empty string' })
  }
  assertSafeCharacters(pattern, pattern)
  if (utf8Length(pattern) > MAX_PATH_BYTES) {
    throw new FsError('EINVAL', pattern, { hint: `a glob pattern may be at most ${MAX_PATH_BYTES} bytes` })
  }
  const builder = new RegexBuilder()
  const sources: string[] = []
  const baseDirectories: string[] = []
  const literals: string[] = []
  for (const alternative of expandBraces(pattern)) {
    const absolute = alternative.startsWith('/') ? alternative : `${cwd}/${alternative}`
    const segments = parseSegments(absolute, pattern)
    const { base, literal } = baseDirectory(segments)
    if (literal) literals.push(base)
    else baseDirectories.push(base)
    sources.push(builder.path(segments))
  }
  const matcher = new RegExp(`^(?:${sources.join('|')})$`, 'u')
  if (baseDirectories.length === 0) return { matcher, baseDirectories, literalPaths: literals }
  // Literal alternatives mixed with wildcards are found by listing their parent.
  for (const literal of literals) baseDirectories.push(parentPath(literal))
  return { matcher, baseDirectories }
}
