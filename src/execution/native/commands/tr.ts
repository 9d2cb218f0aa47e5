/**
 * tr: translate, delete (-d), squeeze (-s), complement (-c/-C), truncate
 * (-t). Sets take ranges (`a-z`), escapes (`\n`, `\055`), classes
 * (`[:lower:]` …, ASCII as GNU's byte-wise tr sees them), `[=c=]`, and in
 * SET2 `[c*]` and `[c*n]`. Works on characters, so a multi-byte character
 * is one unit here (GNU tr would see its bytes).
 */
import { parseArgs } from '../argv'
import { forEachInputBlock } from '../chunks'
import { UsageError, type Command } from '../context'
import { quoteLocale } from '../quote'
import { decodeUtf8 } from '../text'

const SPEC = {
  flags: 'cCdst',
  long: { complement: { key: 'c' }, delete: { key: 'd' }, 'squeeze-repeats': { key: 's' }, 'truncate-set1': { key: 't' } },
}

const range = (from: string, to: string) => Array.from({ length: to.charCodeAt(0) - from.charCodeAt(0) + 1 }, (_, i) => from.charCodeAt(0) + i)
const CLASSES: Readonly<Record<string, number[]>> = {
  lower: range('a', 'z'),
  upper: range('A', 'Z'),
  digit: range('0', '9'),
  alpha: [...range('A', 'Z'), ...range('a', 'z')],
  alnum: [...range('0', '9'), ...range('A', 'Z'), ...range('a', 'z')],
  space: [9, 10, 11, 12, 13, 32],
  blank: [9, 32],
  punct: [...range('!', '/'), ...range(':', '@'), ...range('[', '`'), ...range('{', '~')],
  print: range(' ', '~'),
  graph: range('!', '~'),
  cntrl: [...range('\0', '\x1f'), 127],
  xdigit: [...range('0', '9'), ...range('A', 'F'), ...range('a', 'f')],
}
const ESCAPES: Readonly<Record<string, number>> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 }

/** One parsed set: its characters in order, and where a `[c*]` fill goes (SET2 only). */
interface ParsedSet {
  chars: number[]
  fill?: { at: number; char: number }
}

/** Reads one character (with escapes) of `text` at `i`. */
function readChar(text: string, i: number): { char: number; end: number } {
  if (text[i] !== '\\' || i + 1 >= text.length) {
    const char = text.codePointAt(i) as number
    return { char, end: i + String.fromCodePoint(char).length }
  }
  const octal = /^[0-7]{1,3}/.exec(text.slice(i + 1))
  if (octal) return { char: parseInt(octal[0], 8) & 0xff, end: i + 1 + octal[0].length }
  const next = text[i + 1] as string
  return { char: ESCAPES[next] ?? (next.codePointAt(0) as number), end: i + 2 }
}

function parseSet(text: string, isSet2: boolean): ParsedSet {
  const set: ParsedSet = { chars: [] }
  let i = 0
  while (i < text.length) {
    const bracket = /^\[:([a-z]+):\]|^\[=(.)=\]/u.exec(text.slice(i))
    if (bracket) {
      if (bracket[1] !== undefined) {
        const members = CLASSES[bracket[1]]
        if (!members) throw new UsageError(`invalid character class ${quoteLocale(bracket[1])}`, false)
        set.chars.push(...members)
      } else set.chars.push((bracket[2] as string).codePointAt(0) as number)
      i += bracket[0].length
      continue
    }
    if (isSet2 && text[i] === '[') {
      const repeat = /^\[(\\?.)\*(\d*)\]/u.exec(text.slice(i))
      if (repeat) {
        const { char } = readChar(repeat[1] as string, 0)
        const count = repeat[2] ? parseInt(repeat[2], repeat[2].startsWith('0') ? 8 : 10) : 0
        if (count === 0) set.fill = { at: set.chars.length, char }
        else set.chars.push(...Array<number>(count).fill(char))
        i += repeat[0].length
        continue
      }
    }
    const low = readChar(text, i)
    if (text[low.end] === '-' && low.end + 1 < text.length) {
      const high = readChar(text, low.end + 1)
      if (high.char < low.char) {
        const shown = text.slice(i, high.end)
        throw new UsageError(`range-endpoints of ${quoteLocale(shown)} are in reverse collating sequence order`, false)
      }
      for (let c = low.char; c <= high.char; c++) set.chars.push(c)
      i = high.end
      continue
    }
    set.chars.push(low.char)
    i = low.end
  }
  return set
}

/** SET2 stretched to SET1's length: the `[c*]` fill, then padding with its last character. */
function stretch(set2: ParsedSet, length: number): number[] {
  const chars = [...set2.chars]
  if (set2.fill) chars.splice(set2.fill.at, 0, ...Array<number>(Math.max(0, length - chars.length)).fill(set2.fill.char))
  const last = chars[chars.length - 1]
  while (chars.length < length && last !== undefined) chars.push(last)
  return chars
}

/** The complement of a set: every byte value not in it, in order (what GNU enumerates). */
function complementOf(chars: readonly number[]): number[] {
  const members = new Set(chars)
  return Array.from({ length: 256 }, (_, i) => i).filter((c) => !members.has(c))
}

export const tr: Command = async (ctx) => {
  const parsed = parseArgs('tr', ctx.args, SPEC)
  const complement = parsed.has('c') || parsed.has('C')
  const deleting = parsed.has('d')
  const squeezing = parsed.has('s')
  const [text1, text2, extra] = parsed.operands
  if (text1 === undefined) throw new UsageError('missing operand')
  const translating = !deleting && text2 !== undefined
  if (!deleting && !squeezing && text2 === undefined) {
    throw new UsageError(`missing operand after ${quoteLocale(text1)}\nTwo strings must be given when translating.`)
  }
  if (deleting && !squeezing && text2 !== undefined) {
    throw new UsageError(`extra operand ${quoteLocale(text2)}\nOnly one string may be given when deleting without squeezing repeated characters.`)
  }
  if (extra !== undefined) throw new UsageError(`extra operand ${quoteLocale(extra)}`)

  const set1 = parseSet(text1, false).chars
  const inSet1 = new Set(set1)
  const member1 = (c: number) => inSet1.has(c) !== complement
  const mapping = new Map<number, number>()
  let squeezeSet = new Set<number>(complement ? [] : set1)
  let squeezeComplement = complement
  if (translating || (deleting && text2 !== undefined) || (squeezing && text2 !== undefined)) {
    const set2 = parseSet(text2 as string, true)
    squeezeSet = new Set(set2.fill ? [...set2.chars, set2.fill.char] : set2.chars)
    squeezeComplement = false
    if (translating) {
      const from = complement ? complementOf(set1) : parsed.has('t') ? set1.slice(0, set2.chars.length) : set1
      const to = stretch(set2, from.length)
      if (to.length === 0 && from.length > 0) throw new UsageError('when not truncating set1, string2 must be non-empty', false)
      from.forEach((c, i) => mapping.set(c, to[i] as number))
      // Beyond the byte range, the complement maps to SET2's last character.
      if (complement) mapping.set(-1, to[to.length - 1] as number)
    }
  }
  const inSqueeze = (c: number) => squeezeSet.has(c) !== squeezeComplement

  let previous = -1
  // stdin in newline-ended blocks: no character is split, and squeezing carries over in `previous`.
  await forEachInputBlock(ctx, [], (block) => {
    let out = ''
    for (const char of decodeUtf8(block)) {
      let code = char.codePointAt(0) as number
      if (deleting && member1(code)) continue
      if (translating && member1(code)) code = mapping.get(code) ?? mapping.get(-1) ?? code
      if (squeezing && code === previous && inSqueeze(code)) continue
      previous = code
      out += String.fromCodePoint(code)
    }
    ctx.stdout.write(out)
  })
  return 0
}
