/**
 * Word expansion in bash's order: brace expansion, tilde, parameters,
 * command substitution and arithmetic (left to right), field splitting of
 * unquoted results on IFS, then pathname expansion of unquoted `*`, `?`
 * and `[` through fsx glob (no match keeps the word, unless nullglob).
 * Quoted text is never split or globbed; "$@" and "${a[@]}" make one field
 * per element.
 */
import type { Word, WordPart } from './ast'
import { evaluateArithmetic, type ArithScope } from './arithmetic'
import { braceExpand } from './brace'
import { expandParameter, type Expander } from './parameter'
import { ExpansionError, type ExpandHost, type Piece } from './expansion-types'
import { escapePattern, hasGlob } from './pattern'

export function arithScope(host: ExpandHost): ArithScope {
  return {
    get: (name, index) => (index === undefined ? host.vars.scalar(name) : host.vars.element(name, index.toString())),
    set: (name, value, index) => host.vars.set(name, value.toString(), index === undefined ? undefined : Number(index)),
  }
}

export async function arithmetic(word: Word, host: ExpandHost): Promise<bigint> {
  return arithmeticFromText(await expandString(word, host), host)
}

/** Evaluates already-expanded arithmetic text; errors become ExpansionErrors. */
export function arithmeticFromText(text: string, host: ExpandHost): bigint {
  try {
    return evaluateArithmetic(text, arithScope(host))
  } catch (thrown) {
    if (thrown instanceof Error && thrown.name === 'ArithmeticError') throw new ExpansionError(thrown.message)
    throw thrown
  }
}

function tilde(part: WordPart, first: boolean, host: ExpandHost): string | undefined {
  if (!first || part.kind !== 'literal' || part.quoted || !part.text.startsWith('~')) return undefined
  const match = /^~(?=\/|$)/.exec(part.text)
  const home = host.vars.scalar('HOME')
  return match && home !== undefined ? home + part.text.slice(1) : undefined
}

/** The pieces of a word (no brace expansion: callers do that first). */
export async function piecesOf(word: Word, host: ExpandHost): Promise<Piece[]> {
  const pieces: Piece[] = []
  for (const [index, part] of word.parts.entries()) {
    switch (part.kind) {
      case 'literal':
        pieces.push({ text: tilde(part, index === 0, host) ?? part.text, quoted: part.quoted, split: false })
        break
      case 'parameter':
        pieces.push(...(await expandParameter(part, host, EXPANDER)))
        break
      case 'command': {
        const output = (await host.substitute(part.list)).replace(/\n+$/, '')
        pieces.push({ text: output, quoted: part.quoted, split: !part.quoted })
        break
      }
      case 'arith': {
        const value = (await arithmetic(part.expr, host)).toString()
        pieces.push({ text: value, quoted: part.quoted, split: !part.quoted })
        break
      }
      case 'procsubst':
        throw new ExpansionError('process substitution runs on tier 4 only')
    }
  }
  return pieces
}

/** Expansion to one string: no splitting, no globbing (assignments, here-documents, case words). */
export async function expandString(word: Word, host: ExpandHost): Promise<string> {
  const pieces = await piecesOf(word, host)
  let text = ''
  let afterBreak = false
  for (const piece of pieces) {
    if ('break' in piece) {
      afterBreak = true
      continue
    }
    text += (afterBreak ? ' ' : '') + piece.text
    afterBreak = false
  }
  return text
}

/** Expansion to a pattern: quoted text escaped so it matches itself. */
export async function expandPattern(word: Word, host: ExpandHost): Promise<string> {
  const pieces = await piecesOf(word, host)
  return pieces.map((piece) => ('break' in piece ? ' ' : piece.quoted ? escapePattern(piece.text) : piece.text)).join('')
}

interface Field {
  text: string
  pattern: string
  glob: boolean
}

function ifsOf(host: ExpandHost): string {
  return host.vars.has('IFS') ? (host.vars.scalar('IFS') ?? '') : ' \t\n'
}

/** Splits pieces into fields on IFS. */
function split(pieces: readonly Piece[], ifs: string): Field[] {
  const fields: Field[] = []
  let current: Field | undefined
  const add = (text: string, quoted: boolean) => {
    current ??= { text: '', pattern: '', glob: false }
    current.text += text
    current.pattern += quoted ? escapePattern(text) : text
    current.glob ||= !quoted && /[*?[]/.test(text)
  }
  const end = () => {
    if (current) fields.push(current)
    current = undefined
  }
  for (const piece of pieces) {
    if ('break' in piece) {
      end()
      continue
    }
    if (!piece.split || ifs === '') {
      if (piece.quoted || piece.text !== '' || piece.split) add(piece.text, piece.quoted)
      continue
    }
    let run = ''
    let i = 0
    while (i < piece.text.length) {
      const char = piece.text[i] as string
      if (!ifs.includes(char)) {
        run += char
        i++
        continue
      }
      if (run) add(run, false)
      run = ''
      if (' \t\n'.includes(char)) {
        end()
        i++
        continue
      }
      if (!current) add('', true)
      end()
      i++
      while (i < piece.text.length && ' \t\n'.includes(piece.text[i] as string) && ifs.includes(piece.text[i] as string)) i++
    }
    if (run) add(run, false)
  }
  end()
  return fields
}

function relativeTo(cwd: string, absolute: string, patternIsAbsolute: boolean): string {
  if (patternIsAbsolute) return absolute
  const prefix = cwd === '/' ? '/' : `${cwd}/`
  return absolute.startsWith(prefix) ? absolute.slice(prefix.length) : absolute
}

/** Most patterns one word may become under dotglob (2 per wildcard-led component). */
const DOTGLOB_VARIANTS = 16

/**
 * `shopt -s dotglob`: fsx wildcards never match a leading dot, so a
 * component led by `*` is also tried as `.*…`, one led by `?` as `.…`.
 */
function dotVariants(pattern: string): string[] {
  let variants: string[][] = [[]]
  for (const part of pattern.split('/')) {
    const dotted = part === '**' ? undefined : part.startsWith('*') ? `.${part}` : part.startsWith('?') ? `.${part.slice(1)}` : undefined
    variants = variants.flatMap((parts) => (dotted === undefined ? [[...parts, part]] : [[...parts, part], [...parts, dotted]]))
    if (variants.length > DOTGLOB_VARIANTS) return [pattern]
  }
  return variants.map((parts) => parts.join('/'))
}

async function glob(field: Field, host: ExpandHost): Promise<string[]> {
  if (!field.glob || host.options.noglob || !hasGlob(field.pattern)) return [field.text]
  const matches = new Set<string>()
  // fsx treats braces as alternatives: brace expansion already ran, so they are literal here.
  const escaped = field.pattern.replace(/[{}]/g, '\\$&')
  const pattern = host.options.globstar ? escaped : escaped.replace(/\*\*+/g, '*')
  for (const variant of host.options.dotglob ? dotVariants(pattern) : [pattern]) {
    try {
      for (const path of await host.fs.glob(variant, { cwd: host.cwd })) matches.add(path)
    } catch {
      // A pattern fsx refuses (too long, unsafe characters) matches nothing.
    }
  }
  if (matches.size === 0) return host.options.nullglob ? [] : [field.text]
  const absolute = field.pattern.startsWith('/')
  return [...matches].map((path) => relativeTo(host.cwd, path, absolute)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/** Full expansion of command words into argv fields. */
export async function expandWords(words: readonly Word[], host: ExpandHost): Promise<string[]> {
  const out: string[] = []
  const ifs = ifsOf(host)
  for (const word of words) {
    for (const braced of braceExpand(word)) {
      for (const field of split(await piecesOf(braced, host), ifs)) out.push(...(await glob(field, host)))
    }
  }
  return out
}

const EXPANDER: Expander = { piecesOf, expandString, expandPattern, arithmetic }
