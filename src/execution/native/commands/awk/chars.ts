/**
 * Character (code point) arithmetic for awk's string builtins: gawk in a
 * UTF-8 locale counts characters, while JS strings index UTF-16 units. The
 * fast paths apply when a string has no surrogate pairs.
 */
const SURROGATE = /[\uD800-\uDFFF]/

export function charLength(text: string): number {
  return SURROGATE.test(text) ? [...text].length : text.length
}

/** Characters [start, start + length) by 0-based character index. */
export function charSlice(text: string, start: number, length: number): string {
  if (!SURROGATE.test(text)) return text.slice(start, start + length)
  return [...text].slice(start, start + length).join('')
}

/** The character index of a UTF-16 offset. */
export function charIndex(text: string, unit: number): number {
  return SURROGATE.test(text) ? [...text.slice(0, unit)].length : unit
}

/** towupper/towlower per character: JS's multi-character mappings (ß → SS) are left alone, as glibc does. */
export function mapCase(text: string, upper: boolean): string {
  let out = ''
  for (const char of text) {
    const mapped = upper ? char.toUpperCase() : char.toLowerCase()
    out += charLength(mapped) === 1 ? mapped : char
  }
  return out
}
