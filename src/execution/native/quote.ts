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
