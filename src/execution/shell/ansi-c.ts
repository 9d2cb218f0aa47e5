/**
 * `$'…'` ANSI-C quoting: the escapes bash decodes (\n \t \\ \' \" \? \a \b
 * \e \E \f \r \v, \nnn octal, \xHH, \uHHHH, \UHHHHHHHH, \cX).
 */
const SIMPLE: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
}

function hexRun(text: string, from: number, max: number): string {
  let digits = ''
  while (digits.length < max && /[0-9a-fA-F]/.test(text[from + digits.length] ?? '')) digits += text[from + digits.length]
  return digits
}

/** Decodes from `from` (just after `$'`) to the closing quote; `end` is its offset, undefined when missing. */
export function decodeAnsiC(text: string, from: number): { text: string; end: number | undefined } {
  let out = ''
  let i = from
  while (i < text.length) {
    const char = text[i] as string
    if (char === "'") return { text: out, end: i }
    if (char !== '\\') {
      out += char
      i++
      continue
    }
    const next = text[i + 1] ?? ''
    i += 2
    if (SIMPLE[next] !== undefined) out += SIMPLE[next]
    else if (/[0-7]/.test(next)) {
      let digits = next
      while (digits.length < 3 && /[0-7]/.test(text[i] ?? '')) digits += text[i++]
      out += String.fromCharCode(Number.parseInt(digits, 8) & 255)
    } else if (next === 'x' || next === 'u' || next === 'U') {
      const digits = hexRun(text, i, next === 'x' ? 2 : next === 'u' ? 4 : 8)
      if (digits === '') out += `\\${next}`
      else {
        const code = Number.parseInt(digits, 16)
        out += next === 'x' ? String.fromCharCode(code) : String.fromCodePoint(Math.min(code, 0x10ffff))
      }
      i += digits.length
    } else if (next === 'c' && text[i] !== undefined) {
      out += String.fromCharCode((text[i] as string).toUpperCase().charCodeAt(0) ^ 64)
      i++
    } else out += `\\${next}`
  }
  return { text: out, end: undefined }
}
