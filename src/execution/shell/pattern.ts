/**
 * Shell pattern matching (case, [[ == ]], ${x#p}, ${x/p/r}): `*`, `?`,
 * bracket expressions with ranges, `!`/`^` negation and [:class:], and `\`
 * escapes (quoted text reaches here escaped). Compiled to a small program
 * and matched with the classic star-backtracking walk, which is O(n·m) at
 * worst — no regex engine, no exponential blow-up.
 */
type Atom = { kind: 'char'; char: string } | { kind: 'any' } | { kind: 'star' } | { kind: 'set'; negated: boolean; test: (char: string) => boolean }

const CLASSES: Readonly<Record<string, (c: string) => boolean>> = {
  alpha: (c) => /^\p{L}$/u.test(c),
  digit: (c) => c >= '0' && c <= '9',
  alnum: (c) => /^[\p{L}\p{Nd}]$/u.test(c),
  upper: (c) => /^\p{Lu}$/u.test(c),
  lower: (c) => /^\p{Ll}$/u.test(c),
  space: (c) => ' \t\n\r\f\v'.includes(c),
  blank: (c) => c === ' ' || c === '\t',
  punct: (c) => /^[!-/:-@[-`{-~]$/.test(c),
  xdigit: (c) => /^[0-9A-Fa-f]$/.test(c),
  cntrl: (c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127,
  print: (c) => c.charCodeAt(0) >= 32 && c.charCodeAt(0) !== 127,
  graph: (c) => c.charCodeAt(0) > 32 && c.charCodeAt(0) !== 127,
  word: (c) => /^[\p{L}\p{Nd}_]$/u.test(c),
}

/** Parses a bracket expression at `from` (just after `[`); undefined when it does not close. */
function bracket(chars: string[], from: number): { atom: Atom; end: number } | undefined {
  let i = from
  let negated = false
  if (chars[i] === '!' || chars[i] === '^') {
    negated = true
    i++
  }
  const tests: Array<(c: string) => boolean> = []
  let first = true
  while (i < chars.length) {
    const char = chars[i] as string
    if (char === ']' && !first) return { atom: { kind: 'set', negated, test: (c) => tests.some((t) => t(c)) }, end: i + 1 }
    first = false
    if (char === '[' && chars[i + 1] === ':') {
      const close = chars.indexOf(':', i + 2)
      const name = close > 0 && chars[close + 1] === ']' ? chars.slice(i + 2, close).join('') : undefined
      const test = name === undefined ? undefined : CLASSES[name]
      if (test) {
        tests.push(test)
        i = close + 2
        continue
      }
    }
    let low = char
    if (char === '\\' && i + 1 < chars.length) low = chars[++i] as string
    if (chars[i + 1] === '-' && chars[i + 2] !== undefined && chars[i + 2] !== ']') {
      let high = chars[i + 2] as string
      i += 2
      if (high === '\\' && i + 1 < chars.length) high = chars[++i] as string
      const lo = low
      tests.push((c) => c >= lo && c <= high)
    } else tests.push((c) => c === low)
    i++
  }
  return undefined
}

export function compilePattern(pattern: string): Atom[] {
  const chars = Array.from(pattern)
  const atoms: Atom[] = []
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] as string
    if (char === '\\' && i + 1 < chars.length) atoms.push({ kind: 'char', char: chars[++i] as string })
    else if (char === '*') {
      if (atoms[atoms.length - 1]?.kind !== 'star') atoms.push({ kind: 'star' })
    } else if (char === '?') atoms.push({ kind: 'any' })
    else if (char === '[') {
      const set = bracket(chars, i + 1)
      if (set) {
        atoms.push(set.atom)
        i = set.end - 1
      } else atoms.push({ kind: 'char', char })
    } else atoms.push({ kind: 'char', char })
  }
  return atoms
}

function matchesAtom(atom: Atom, char: string): boolean {
  if (atom.kind === 'any') return true
  if (atom.kind === 'char') return atom.char === char
  if (atom.kind === 'set') return atom.test(char) !== atom.negated
  return false
}

/** Whether the whole of `text` (as code points) matches the compiled pattern. */
export function matchAtoms(atoms: readonly Atom[], text: readonly string[]): boolean {
  let p = 0
  let t = 0
  let starP = -1
  let starT = 0
  while (t < text.length) {
    const atom = atoms[p]
    if (atom?.kind === 'star') {
      starP = p++
      starT = t
    } else if (atom && matchesAtom(atom, text[t] as string)) {
      p++
      t++
    } else if (starP >= 0) {
      p = starP + 1
      t = ++starT
    } else return false
  }
  while (atoms[p]?.kind === 'star') p++
  return p === atoms.length
}

export function matchPattern(pattern: string, text: string): boolean {
  return matchAtoms(compilePattern(pattern), Array.from(text))
}

/** Whether the pattern has anything but literal characters (for globbing decisions). */
export function hasGlob(pattern: string): boolean {
  return compilePattern(pattern).some((atom) => atom.kind !== 'char')
}

/** Escapes text so it matches itself as a pattern. */
export function escapePattern(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&')
}
