/**
 * Character predicates and case mapping on code points: the word characters
 * of \w \b \< \>, the POSIX classes as glibc's UTF-8 locales define them, and
 * the simple (one code point to one) case mapping that `-i` folds with.
 */

const ALPHABETIC = /\p{Alphabetic}/u
const UPPER = /\p{Lu}/u
const LOWER = /\p{Ll}/u
const WORD = /[\p{L}\p{N}_]/u
const SPACE = /\s/u

function fromTable(predicate: (cp: number) => boolean): (cp: number) => boolean {
  const ascii = new Uint8Array(128)
  for (let cp = 0; cp < 128; cp++) ascii[cp] = predicate(cp) ? 1 : 0
  return (cp) => (cp < 128 ? ascii[cp] === 1 : predicate(cp))
}

const unicode = (pattern: RegExp) => (cp: number) => pattern.test(String.fromCodePoint(cp))
const between = (cp: number, low: number, high: number) => cp >= low && cp <= high

export const isWordChar = fromTable(unicode(WORD))
/** JavaScript's \s, which is what \s meant before this engine. */
export const isSpaceEscape = fromTable(unicode(SPACE))

export const CLASSES: Readonly<Record<string, (cp: number) => boolean>> = {
  alpha: fromTable(unicode(ALPHABETIC)),
  digit: (cp) => between(cp, 0x30, 0x39),
  alnum: fromTable((cp) => between(cp, 0x30, 0x39) || unicode(ALPHABETIC)(cp)),
  upper: fromTable(unicode(UPPER)),
  lower: fromTable(unicode(LOWER)),
  space: (cp) => cp === 0x20 || between(cp, 0x09, 0x0d),
  blank: (cp) => cp === 0x20 || cp === 0x09,
  punct: (cp) => between(cp, 0x21, 0x2f) || between(cp, 0x3a, 0x40) || between(cp, 0x5b, 0x60) || between(cp, 0x7b, 0x7e),
  print: (cp) => between(cp, 0x20, 0x7e) || cp >= 0xa0,
  graph: (cp) => between(cp, 0x21, 0x7e) || cp >= 0xa1,
  cntrl: (cp) => cp <= 0x1f || cp === 0x7f,
  xdigit: (cp) => between(cp, 0x30, 0x39) || between(cp, 0x41, 0x46) || between(cp, 0x61, 0x66),
}

const lowerCache = new Map<number, number>()
const upperCache = new Map<number, number>()

function mapCase(cp: number, cache: Map<number, number>, convert: (text: string) => string): number {
  let mapped = cache.get(cp)
  if (mapped === undefined) {
    const converted = convert(String.fromCodePoint(cp))
    const first = converted.codePointAt(0) as number
    // Only one-to-one mappings fold (ß → SS does not), like JavaScript's /i.
    mapped = String.fromCodePoint(first).length === converted.length ? first : cp
    cache.set(cp, mapped)
  }
  return mapped
}

export function lowerOf(cp: number): number {
  if (cp < 128) return cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp
  return mapCase(cp, lowerCache, (text) => text.toLowerCase())
}

export function upperOf(cp: number): number {
  if (cp < 128) return cp >= 0x61 && cp <= 0x7a ? cp - 32 : cp
  return mapCase(cp, upperCache, (text) => text.toUpperCase())
}

/** The code point at `index` of a UTF-16 string, or -1 past the end. */
export function codePointAt(text: string, index: number): number {
  return index < text.length ? (text.codePointAt(index) as number) : -1
}

/** The code point that ends just before `index`, or -1 at the start. */
export function codePointBefore(text: string, index: number): number {
  if (index <= 0) return -1
  const low = text.charCodeAt(index - 1)
  if (low >= 0xdc00 && low <= 0xdfff && index >= 2) {
    const high = text.charCodeAt(index - 2)
    if (high >= 0xd800 && high <= 0xdbff) return (text.codePointAt(index - 2) as number)
  }
  return low
}
