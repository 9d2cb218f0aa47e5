/**
 * awk's built-in functions. String positions count characters (RSTART,
 * substr, index, length); regex arguments are literals or dynamic strings
 * compiled by our POSIX engine; sub/gsub follow gawk's replacement rules
 * (`&` is the match, `\&` a literal ampersand, `\\` a backslash).
 * system() would need a shell, and rand()/srand() gawk's exact generator,
 * so they are refused (tier 4 runs them).
 */
import { UnsupportedFeature } from '../../context'
import type { Expr, LValue } from './ast'
import { charIndex, charLength, charSlice, mapCase } from './chars'
import type { Evaluator } from './evaluate'
import { isLValue } from './parse-expr'
import { splitBy } from './records'
import { inputValue, toNumber, type Value } from './values'

type Builtin = (ev: Evaluator, args: Expr[]) => Promise<Value>

const ARITY: Record<string, [number, number]> = {
  length: [0, 1], substr: [2, 3], index: [2, 2], split: [2, 3], sub: [2, 3], gsub: [2, 3], match: [2, 3], sprintf: [1, Infinity],
  tolower: [1, 1], toupper: [1, 1], int: [1, 1], sqrt: [1, 1], exp: [1, 1], log: [1, 1], sin: [1, 1], cos: [1, 1], atan2: [2, 2],
  rand: [0, 0], srand: [0, 1], close: [1, 1], fflush: [0, 1], system: [1, 1],
}

async function str(ev: Evaluator, expr: Expr): Promise<string> {
  return ev.toStr(await ev.eval(expr))
}

async function num(ev: Evaluator, expr: Expr): Promise<number> {
  return toNumber(await ev.eval(expr))
}

function arrayName(expr: Expr | undefined): string {
  if (expr?.type !== 'name') throw new UnsupportedFeature('awk', 'a non-array where an array argument is expected')
  return expr.name
}

/** Expands a sub/gsub replacement for one match. */
function expandReplacement(replacement: string, matched: string): string {
  let out = ''
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i]
    if (c === '\\' && (replacement[i + 1] === '&' || replacement[i + 1] === '\\')) {
      out += replacement[++i]
    } else if (c === '&') out += matched
    else out += c
  }
  return out
}

async function substitute(ev: Evaluator, args: Expr[], global: boolean): Promise<Value> {
  const regex = ev.regex(await ev.regexSource(args[0] as Expr))
  const replacement = await str(ev, args[1] as Expr)
  const targetExpr: LValue = args[2] && isLValue(args[2]) ? args[2] : { type: 'field', index: { type: 'number', value: 0 } }
  if (args[2] && !isLValue(args[2])) throw new UnsupportedFeature('awk', `${global ? 'gsub' : 'sub'} with a target that is not a variable, element or field`)
  const text = ev.toStr(await ev.get(targetExpr))
  let out = ''
  let copied = 0
  let at = 0
  let previousEnd = -1
  let count = 0
  while (at <= text.length) {
    const span = regex.span(text, at)
    if (!span) break
    const [start, end] = span
    if (start === end && start === previousEnd) {
      // No empty match right after a match: step over one character.
      if (start >= text.length) break
      at = start + (text.codePointAt(start)! > 0xffff ? 2 : 1)
      continue
    }
    out += text.slice(copied, start) + expandReplacement(replacement, text.slice(start, end))
    copied = end
    previousEnd = end
    count++
    if (!global) break
    if (start === end) {
      if (start >= text.length) break
      at = start + (text.codePointAt(start)! > 0xffff ? 2 : 1)
    } else at = end
    await ev.tick()
  }
  if (count > 0) await ev.set(targetExpr, out + text.slice(copied))
  return count
}

async function match(ev: Evaluator, args: Expr[]): Promise<Value> {
  const text = await str(ev, args[0] as Expr)
  const regex = ev.regex(await ev.regexSource(args[1] as Expr))
  const found = regex.exec(text)
  const start = found ? charIndex(text, found.start) + 1 : 0
  const length = found ? charLength(text.slice(found.start, found.end)) : -1
  ev.setVar('RSTART', start)
  ev.setVar('RLENGTH', length)
  if (args[2]) {
    const array = ev.array(arrayName(args[2]))
    array.clear()
    const subsep = ev.special('SUBSEP')
    found?.groups.forEach((group, index) => {
      if (!group) return
      array.set(String(index), inputValue(text.slice(group[0], group[1])))
      array.set(`${index}${subsep}start`, charIndex(text, group[0]) + 1)
      array.set(`${index}${subsep}length`, charLength(text.slice(group[0], group[1])))
    })
  }
  return start
}

async function split(ev: Evaluator, args: Expr[]): Promise<Value> {
  const text = await str(ev, args[0] as Expr)
  const array = ev.array(arrayName(args[1]))
  const separator = args[2]
  let pieces: string[]
  if (separator?.type === 'regex') pieces = splitRegexLiteral(ev, text, separator.source)
  else pieces = splitBy(text, separator ? await str(ev, separator) : ev.special('FS'), (source) => ev.regex(source))
  array.clear()
  pieces.forEach((piece, index) => array.set(String(index + 1), inputValue(piece)))
  return pieces.length
}

/** split(s, a, /re/): a regex literal is always a regex, even a single character or a space. */
function splitRegexLiteral(ev: Evaluator, text: string, source: string): string[] {
  if (source === ' ') return splitBy(text, '[ ]', (s) => ev.regex(s))
  return source.length === 1 ? splitBy(text, `[${source === '\\' ? '\\\\' : source}]`, (s) => ev.regex(s)) : splitBy(text, source, (s) => ev.regex(s))
}

const BUILTINS: Record<string, Builtin> = {
  async length(ev, args) {
    const arg = args[0]
    if (!arg) return charLength(ev.toStr(ev.getField(0)))
    if (arg.type === 'name' && ev.cellOf(arg.name).array) return ev.array(arg.name).size
    return charLength(await str(ev, arg))
  },
  async substr(ev, args) {
    const text = await str(ev, args[0] as Expr)
    let start = await num(ev, args[1] as Expr)
    const total = charLength(text)
    let length = args[2] ? await num(ev, args[2]) : Infinity
    if (args[2] && !(length >= 1)) return ''
    if (!(start >= 1)) start = 1
    const from = Math.trunc(start) - 1
    if (from >= total) return ''
    length = Math.min(Math.trunc(length), total - from)
    return charSlice(text, from, length)
  },
  async index(ev, args) {
    const text = await str(ev, args[0] as Expr)
    const found = text.indexOf(await str(ev, args[1] as Expr))
    return found === -1 ? 0 : charIndex(text, found) + 1
  },
  split,
  sub: (ev, args) => substitute(ev, args, false),
  gsub: (ev, args) => substitute(ev, args, true),
  match,
  async sprintf(ev, args) {
    const values = await ev.evalAll(args)
    return ev.formatValues(ev.toStr(values[0] as Value), values.slice(1))
  },
  tolower: async (ev, args) => mapCase(await str(ev, args[0] as Expr), false),
  toupper: async (ev, args) => mapCase(await str(ev, args[0] as Expr), true),
  int: async (ev, args) => Math.trunc(await num(ev, args[0] as Expr)),
  async sqrt(ev, args) {
    const value = await num(ev, args[0] as Expr)
    if (value < 0) ev.warnAt(`sqrt: called with negative argument ${ev.formatValues('%g', [value])}`)
    return Math.sqrt(value)
  },
  exp: async (ev, args) => Math.exp(await num(ev, args[0] as Expr)),
  async log(ev, args) {
    const value = await num(ev, args[0] as Expr)
    if (value < 0) ev.warnAt(`log: received negative argument ${ev.formatValues('%g', [value])}`)
    return Math.log(value)
  },
  sin: async (ev, args) => Math.sin(await num(ev, args[0] as Expr)),
  cos: async (ev, args) => Math.cos(await num(ev, args[0] as Expr)),
  atan2: async (ev, args) => Math.atan2(await num(ev, args[0] as Expr), await num(ev, args[1] as Expr)),
  // gawk's rand() is a fixed sequence per seed that tier 1 does not reproduce, so tier 4 answers.
  async rand() {
    throw new UnsupportedFeature('awk', 'rand()')
  },
  async srand() {
    throw new UnsupportedFeature('awk', 'srand()')
  },
  close: async (ev, args) => ev.streams.close(await str(ev, args[0] as Expr)),
  async fflush() {
    return 0
  },
  async system() {
    throw new UnsupportedFeature('awk', 'system()')
  },
}

export async function callBuiltin(ev: Evaluator, name: string, args: Expr[]): Promise<Value> {
  const [min, max] = ARITY[name] ?? [0, 0]
  if (args.length < min || args.length > max) throw new UnsupportedFeature('awk', `${name}() with ${args.length} arguments`)
  const builtin = BUILTINS[name]
  if (!builtin) throw new UnsupportedFeature('awk', `the builtin ${name}()`)
  return builtin(ev, args)
}
