/**
 * The quoting GNU coreutils applies to names in diagnostics (gnulib
 * quotearg), so our stderr matches theirs byte for byte:
 *
 * - `quoteIfNeeded` — `quotef`: shell-escape quoting only when the name has
 *   characters a shell would treat specially (`cat: 'a b': …`, `cat: x: …`).
 * - `quoteAlways`   — `quoteaf`: always shell-quoted (`ls: cannot access 'x': …`).
 * - `quoteLocale`   — `quote`: typographic quotes, as in a UTF-8 locale
 *   (`sort: invalid number at field start: invalid count at start of ‘x’`).
 */
const SHELL_SPECIAL = /[\s!"$&'()*;<>?[\\\]`{|}]/
const SPECIAL_INSIDE_DOUBLE_QUOTES = /["$`\\]/

function shellQuote(name: string): string {
  if (name.includes("'") && !SPECIAL_INSIDE_DOUBLE_QUOTES.test(name)) return `"${name}"`
  return `'${name.replaceAll("'", "'\\''")}'`
}

export function quoteIfNeeded(name: string): string {
  const needs = name === '' || SHELL_SPECIAL.test(name) || name.startsWith('#') || name.startsWith('~')
  return needs ? shellQuote(name) : name
}

export function quoteAlways(name: string): string {
  return shellQuote(name)
}

export function quoteLocale(text: string): string {
  return `\u2018${text}\u2019`
}

const Q_SPECIAL = /[\s!"$&'()*;<=>?[\\\]^`{|}]/
const CONTROL = /[\x00-\x1f\x7f]/
const CONTROL_ESCAPES: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r', '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\v': '\\v' }

/**
 * printf %q as coreutils prints it (gnulib's shell-escape style): as is when
 * nothing is special (`#` and `~` only at the start), else single-quoted —
 * or double-quoted when a `'` is the only trouble — and control characters
 * as `$'\t'` segments between quoted runs.
 */
export function shellEscape(text: string): string {
  if (text === '') return "''"
  if (CONTROL.test(text)) {
    return text
      .split(/([\x00-\x1f\x7f]+)/)
      .filter((part) => part !== '')
      .map((part) =>
        CONTROL.test(part)
          ? `$'${Array.from(part, (c) => CONTROL_ESCAPES[c] ?? `\\${(c.codePointAt(0) as number).toString(8).padStart(3, '0')}`).join('')}'`
          : `'${part.replaceAll("'", "'\\''")}'`,
      )
      .join('')
  }
  if (!Q_SPECIAL.test(text) && !/^[#~]/.test(text)) return text
  return shellQuote(text)
}
