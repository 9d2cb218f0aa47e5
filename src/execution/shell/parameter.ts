/**
 * Parameter expansion: the value of `$x`, `${a[i]}`, positional and
 * special parameters, and the `${…}` operators (defaults, trims,
 * replacement, substrings, case, length, indirection, names, keys).
 * Operators apply per element on "${a[@]}" and "$@", as in bash.
 */
import type { Word, WordPart } from './ast'
import { ExpansionError, type ExpandHost, type Piece } from './expansion-types'
import { compilePattern, matchAtoms } from './pattern'

type ParameterPart = WordPart & { kind: 'parameter' }

/** The rest of word expansion, passed in (expand.ts calls this module). */
export interface Expander {
  piecesOf(word: Word, host: ExpandHost): Promise<Piece[]>
  expandString(word: Word, host: ExpandHost): Promise<string>
  expandPattern(word: Word, host: ExpandHost): Promise<string>
  arithmetic(word: Word, host: ExpandHost): Promise<bigint>
}

interface Lookup {
  /** The values: one for a scalar, the elements for @ and *. */
  values: string[]
  /** Whether the parameter is set (an empty array counts as unset). */
  set: boolean
  /** `@`-style: one field per element when quoted; `*`-style joins them. */
  list: 'at' | 'star' | undefined
}

const SPECIAL = /^[?$!0\-]$/
/** What a non-interactive bash exits with after `set -u` or `${x:?}` stops it. */
const UNBOUND_STATUS = 127

async function lookup(part: ParameterPart, host: ExpandHost, x: Expander, name = part.name): Promise<Lookup> {
  if (name === '@' || name === '*') return { values: host.positional, set: host.positional.length > 0, list: name === '@' ? 'at' : 'star' }
  if (name === '#') return { values: [String(host.positional.length)], set: true, list: undefined }
  if (SPECIAL.test(name)) return { values: [host.special(name)], set: true, list: undefined }
  if (/^\d+$/.test(name)) {
    const value = host.positional[Number(name) - 1]
    return { values: value === undefined ? [''] : [value], set: value !== undefined, list: undefined }
  }
  const vars = host.vars
  if (part.index && name === part.name) {
    const [only] = part.index.parts
    const star = part.index.parts.length === 1 && only?.kind === 'literal' ? only.text.trim() : undefined
    if (star === '@' || star === '*') {
      const values = vars.values(name)
      return { values, set: values.length > 0, list: star === '@' ? 'at' : 'star' }
    }
    const assoc = vars.get(name)?.value.kind === 'assoc'
    let key = assoc ? await x.expandString(part.index, host) : (await x.arithmetic(part.index, host)).toString()
    if (!assoc && key.startsWith('-')) {
      const count = vars.keys(name).length
      key = String(Number(vars.keys(name)[count + Number(key)] ?? -1))
    }
    const value = vars.element(name, key)
    return { values: [value ?? ''], set: value !== undefined, list: undefined }
  }
  const value = vars.scalar(name)
  return { values: [value ?? ''], set: value !== undefined, list: undefined }
}

function trim(value: string, pattern: string, op: '#' | '##' | '%' | '%%'): string {
  const atoms = compilePattern(pattern)
  const chars = Array.from(value)
  const longest = op.length === 2
  if (op.startsWith('#')) {
    for (let n = longest ? chars.length : 0; longest ? n >= 0 : n <= chars.length; n += longest ? -1 : 1) {
      if (matchAtoms(atoms, chars.slice(0, n))) return chars.slice(n).join('')
    }
    return value
  }
  for (let n = longest ? 0 : chars.length; longest ? n <= chars.length : n >= 0; n += longest ? 1 : -1) {
    if (matchAtoms(atoms, chars.slice(n))) return chars.slice(0, n).join('')
  }
  return value
}

function replace(value: string, pattern: string, replacement: string, mode: '/' | '//' | '#' | '%'): string {
  if (pattern === '') return value
  const atoms = compilePattern(pattern)
  const chars = Array.from(value)
  if (mode === '#') {
    for (let n = chars.length; n >= 0; n--) if (matchAtoms(atoms, chars.slice(0, n))) return replacement + chars.slice(n).join('')
    return value
  }
  if (mode === '%') {
    for (let n = 0; n <= chars.length; n++) if (matchAtoms(atoms, chars.slice(n))) return chars.slice(0, n).join('') + replacement
    return value
  }
  let out = ''
  let i = 0
  while (i <= chars.length) {
    let matched = -1
    for (let n = chars.length; n > i; n--) {
      if (matchAtoms(atoms, chars.slice(i, n))) {
        matched = n
        break
      }
    }
    if (matched < 0) {
      if (i < chars.length) out += chars[i]
      i++
      continue
    }
    out += replacement
    i = matched
    if (mode === '/') return out + chars.slice(i).join('')
  }
  return out
}

function changeCase(value: string, op: '^' | '^^' | ',' | ',,'): string {
  if (op === '^^') return value.toUpperCase()
  if (op === ',,') return value.toLowerCase()
  const [first = '', ...rest] = Array.from(value)
  return (op === '^' ? first.toUpperCase() : first.toLowerCase()) + rest.join('')
}

async function slice(values: string[], part: ParameterPart, host: ExpandHost, list: boolean, x: Expander): Promise<string[]> {
  const op = part.op as { kind: 'slice'; offset: Word; length?: Word }
  const offset = Number(await x.arithmetic(op.offset, host))
  const length = op.length ? Number(await x.arithmetic(op.length, host)) : undefined
  const cut = <T>(items: T[], start: number): T[] => {
    let from = start < 0 ? Math.max(items.length + start, 0) : start
    if (start < 0 && items.length + start < 0) return []
    from = Math.min(from, items.length)
    if (length === undefined) return items.slice(from)
    if (length < 0) return items.slice(from, Math.max(items.length + length, from))
    return items.slice(from, from + length)
  }
  if (list) {
    // "${@:1:2}" counts from $0 for the positional parameters.
    const base = part.name === '@' || part.name === '*' ? [host.special('0'), ...values] : values
    return cut(base, offset)
  }
  return values.map((value) => cut(Array.from(value), offset).join(''))
}

function toPieces(values: readonly string[], quoted: boolean, list: Lookup['list'], host: ExpandHost): Piece[] {
  if (list === 'star' && quoted) {
    const ifs = host.vars.has('IFS') ? (host.vars.scalar('IFS') ?? '') : ' '
    return [{ text: values.join(ifs.slice(0, 1)), quoted: true, split: false }]
  }
  const pieces: Piece[] = []
  values.forEach((value, i) => {
    if (i > 0) pieces.push({ break: true })
    pieces.push({ text: value, quoted, split: !quoted })
  })
  return pieces
}

export async function expandParameter(part: ParameterPart, host: ExpandHost, x: Expander): Promise<Piece[]> {
  const op = part.op
  if (op?.kind === 'names') {
    const names = host.vars.names().filter((name) => name.startsWith(part.name))
    return toPieces(names, part.quoted, 'at', host)
  }
  if (op?.kind === 'keys') return toPieces(host.vars.keys(part.name), part.quoted, 'at', host)
  let found = await lookup(part, host, x)
  if (op?.kind === 'indirect') found = await lookup({ kind: 'parameter', name: part.name, quoted: part.quoted }, host, x, found.values[0] ?? '')
  if (op?.kind === 'length') {
    const length = found.list ? found.values.length : Array.from(found.values[0] ?? '').length
    if (!found.set && !found.list && host.options.nounset) throw new ExpansionError(`${part.name}: unbound variable`, UNBOUND_STATUS)
    return [{ text: String(length), quoted: part.quoted, split: !part.quoted }]
  }
  if (op?.kind === 'default') {
    const empty = !found.set || (op.colon && found.values.every((value) => value === '') && (found.list === undefined || found.values.length <= 1))
    if (op.op === '+') return empty ? [] : x.piecesOf(op.word, host)
    if (!empty) return toPieces(found.values, part.quoted, found.list, host)
    if (op.op === '-') return x.piecesOf(op.word, host)
    const text = await x.expandString(op.word, host)
    if (op.op === '?') throw new ExpansionError(`${part.name}: ${text || (op.colon ? 'parameter null or not set' : 'parameter not set')}`, UNBOUND_STATUS)
    if (/^\d+$|^[@*#?$!\-]$/.test(part.name)) throw new ExpansionError(`$${part.name}: cannot assign in this way`)
    host.vars.set(part.name, text)
    return [{ text, quoted: part.quoted, split: !part.quoted }]
  }
  if (!found.set && host.options.nounset && found.list === undefined && !SPECIAL.test(part.name)) {
    throw new ExpansionError(`${part.name}${part.index ? '[…]' : ''}: unbound variable`, UNBOUND_STATUS)
  }
  let values = found.values
  if (op?.kind === 'trim') {
    const pattern = await x.expandPattern(op.pattern, host)
    values = values.map((value) => trim(value, pattern, op.op))
  } else if (op?.kind === 'replace') {
    const pattern = await x.expandPattern(op.pattern, host)
    const replacement = await x.expandString(op.replacement, host)
    values = values.map((value) => replace(value, pattern, replacement, op.mode))
  } else if (op?.kind === 'case') values = values.map((value) => changeCase(value, op.op))
  else if (op?.kind === 'slice') values = await slice(values, part, host, found.list !== undefined, x)
  return toPieces(values, part.quoted, found.list, host)
}
