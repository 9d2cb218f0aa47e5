/**
 * find's predicates over an fsx entry's stat: -size, -mtime/-mmin (and
 * -atime/-ctime/-amin/-cmin, which fsx answers with the mtime), -perm,
 * -regex/-iregex (our POSIX engine; GNU's
 * default emacs syntax is translated for its common subset, anything else in
 * it goes to tier 4) and the -printf directives tier 1 renders.
 */
import type { FileStat } from '../../../../types/execution'
import { UnsupportedFeature, UsageError } from '../context'
import { compileRegex, type Regex } from '../regex/index'

/** `+n` more than, `-n` less than, `n` exactly. */
export function numericTest(option: string, text: string): (value: number) => boolean {
  const match = /^([+-]?)(\d+)$/.exec(text)
  if (!match) throw new UsageError(`invalid argument \`${text}' to \`${option}'`, false)
  const n = Number(match[2])
  if (match[1] === '+') return (value) => value > n
  if (match[1] === '-') return (value) => value < n
  return (value) => value === n
}

const SIZE_UNITS: Record<string, number> = { b: 512, c: 1, w: 2, k: 1024, M: 1024 ** 2, G: 1024 ** 3 }

/** -size: the size is rounded up to whole units before comparing, as GNU does. */
export function sizeTest(text: string): (stat: FileStat) => boolean {
  const match = /^([+-]?\d+)([bcwkMG]?)$/.exec(text)
  if (!match) throw new UsageError(`invalid -size type \`${text.replace(/^[+-]?\d+/, '')}'`, false)
  const unit = SIZE_UNITS[match[2] || 'b'] as number
  const compare = numericTest('-size', match[1] as string)
  return (stat) => compare(Math.ceil(sizeOf(stat) / unit))
}

/** What GNU sees on ext4: a directory is one 4 KiB block; fsx reports 0 for it. */
export function sizeOf(stat: FileStat): number {
  return stat.type === 'directory' ? 4096 : stat.size
}

/** -mtime (days) / -mmin (minutes): the age in whole units, truncated, as GNU counts it. */
export function ageTest(option: string, text: string, unitMs: number, now: number): (stat: FileStat) => boolean {
  const compare = numericTest(option, text)
  return (stat) => compare(Math.floor((now - stat.mtime) / unitMs))
}

export function permTest(text: string): (stat: FileStat) => boolean {
  const match = /^([-/]?)([0-7]{1,4})$/.exec(text)
  if (!match) throw new UnsupportedFeature('find', `-perm ${text} (symbolic modes)`)
  const mode = parseInt(match[2] as string, 8)
  if (match[1] === '-') return (stat) => ((stat.mode & 0o7777) & mode) === mode
  if (match[1] === '/') return (stat) => mode === 0 || ((stat.mode & 0o7777) & mode) !== 0
  return (stat) => (stat.mode & 0o7777) === mode
}

/** Emacs regex syntax (GNU find's default) as ERE, for the subset both share; other escapes are refused. */
function emacsToExtended(pattern: string): string {
  let out = ''
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string
    if (c === '[') {
      const end = pattern.indexOf(']', pattern[i + 1] === ']' ? i + 2 : pattern[i + 1] === '^' && pattern[i + 2] === ']' ? i + 3 : i + 1)
      if (end === -1) throw new UnsupportedFeature('find', `the regex ${pattern}`)
      out += pattern.slice(i, end + 1)
      i = end
    } else if (c === '\\') {
      const next = pattern[++i]
      if (next === '|' || next === '(' || next === ')') out += next
      else if (next !== undefined && '.*+?[]^$\\'.includes(next)) out += `\\${next}`
      else throw new UnsupportedFeature('find', `the emacs regex escape \\${next ?? ''}`)
    } else if ('(){}|'.includes(c)) out += `\\${c}`
    else out += c
  }
  return out
}

export function regexTest(pattern: string, type: string, icase: boolean): Regex {
  let source = pattern
  let flavor: 'basic' | 'extended'
  if (type === 'emacs') {
    source = emacsToExtended(pattern)
    flavor = 'extended'
  } else if (type === 'posix-extended') flavor = 'extended'
  else if (type === 'posix-basic') flavor = 'basic'
  else throw new UnsupportedFeature('find', `-regextype ${type}`)
  return compileRegex(source, { flavor, icase, wrap: 'line' })
}

export interface PrintfEntry {
  display: string
  start: string
  depth: number
  stat: FileStat
}

const PRINTF_ESCAPES: Record<string, string> = { n: '\n', t: '\t', '0': '\0', '\\': '\\', a: '\x07', r: '\r', f: '\f', v: '\v' }

/** Checks a -printf format up front, so an unsupported directive is refused before anything runs. */
export function checkPrintf(format: string): void {
  for (const match of format.matchAll(/%(-?\d*)(.?)/g)) {
    if (!'pfhPHdsmyk%'.includes(match[2] as string) || match[2] === '') throw new UnsupportedFeature('find', `the -printf directive %${match[2] ?? ''}`)
  }
}

export function renderPrintf(format: string, entry: PrintfEntry): string {
  const name = entry.display.replace(/\/+$/, '')
  const slash = name.lastIndexOf('/')
  const relative = entry.display === entry.start ? '' : entry.display.slice(entry.start.length).replace(/^\/+/, '')
  const values: Record<string, string> = {
    p: entry.display,
    f: slash === -1 ? name || entry.display : name.slice(slash + 1),
    h: slash === -1 ? '.' : name.slice(0, slash) || '/',
    P: relative,
    H: entry.start,
    d: String(entry.depth),
    s: String(sizeOf(entry.stat)),
    m: (entry.stat.mode & 0o7777).toString(8),
    y: entry.stat.type === 'directory' ? 'd' : 'f',
    k: String(Math.ceil(sizeOf(entry.stat) / 4096) * 4),
    '%': '%',
  }
  return format.replace(/\\(.)|%(-?\d*)(.)/g, (_, escape: string | undefined, width: string | undefined, directive: string | undefined) => {
    if (escape !== undefined) return PRINTF_ESCAPES[escape] ?? `\\${escape}`
    const value = values[directive as string] ?? ''
    const n = Number(width || 0)
    return width?.startsWith('-') ? value.padEnd(-n) : value.padStart(n)
  })
}
