/**
 * ls as GNU prints it when stdout is not a terminal: one name per line;
 * -l long format, -a/-A hidden entries, -d, -R, -r, -t, -S, -h, -F/-p.
 * File operands come first, then each directory (with a `name:` header when
 * there are several operands or -R). Owners and links: see file-info.ts.
 */
import type { FileStat } from '../../../../types/execution'
import { compareCodePoints, joinPath } from '../../fsx/paths'
import { parseArgs } from '../argv'
import type { Command, CommandContext } from '../context'
import { apparentSize, blocks512, humanSize, linkCount, modeString, OWNER } from '../file-info'
import { fsReason, report, resolve } from '../io'
import { quoteAlways } from '../quote'
import { strftime } from '../strftime'
import { joinDisplay } from '../walk'

const SPEC = {
  flags: 'laA1dRrtSFph',
  long: {
    all: { key: 'a' },
    'almost-all': { key: 'A' },
    directory: { key: 'd' },
    recursive: { key: 'R' },
    reverse: { key: 'r' },
    'human-readable': { key: 'h' },
    classify: { key: 'F' },
    color: { key: 'color', value: 'optional' },
  },
} as const

/** GNU shows the time, not the year, for entries modified within the last half Gregorian year. */
const SIX_MONTHS_MS = 31_556_952_000 / 2

interface Entry {
  name: string
  stat: FileStat
}

interface Settings {
  long: boolean
  all: boolean
  almostAll: boolean
  recursive: boolean
  human: boolean
  slash: boolean
  order: (a: Entry, b: Entry) => number
}

function timeText(mtime: number, now: number): string {
  const recent = mtime <= now + 3_600_000 && now - mtime < SIX_MONTHS_MS
  return strftime(recent ? '%b %e %H:%M' : '%b %e  %Y', { ms: mtime })
}

function render(entries: readonly Entry[], settings: Settings): string {
  const suffix = (entry: Entry) => (settings.slash && entry.stat.type === 'directory' ? '/' : '')
  if (!settings.long) return entries.map((entry) => `${entry.name}${suffix(entry)}\n`).join('')
  const now = Date.now()
  const rows = entries.map((entry) => ({
    mode: modeString(entry.stat),
    links: String(linkCount(entry.stat)),
    size: settings.human ? humanSize(apparentSize(entry.stat)) : String(apparentSize(entry.stat)),
    time: timeText(entry.stat.mtime, now),
    name: entry.name + suffix(entry),
  }))
  const linkWidth = Math.max(...rows.map((row) => row.links.length))
  const sizeWidth = Math.max(...rows.map((row) => row.size.length))
  return rows
    .map((row) => `${row.mode} ${row.links.padStart(linkWidth)} ${OWNER.name} ${OWNER.name} ${row.size.padStart(sizeWidth)} ${row.time} ${row.name}\n`)
    .join('')
}

class Lister {
  printedSomething = false
  status = 0

  constructor(
    private readonly ctx: CommandContext,
    private readonly settings: Settings,
    private readonly headers: boolean,
  ) {}

  write(text: string): void {
    if (text) this.printedSomething = true
    this.ctx.stdout.write(text)
  }

  async directory(display: string, absolute: string): Promise<void> {
    this.ctx.signal.throwIfAborted()
    const { ctx, settings } = this
    let entries: Entry[]
    try {
      const children = await ctx.fs.readdir(absolute)
      const visible = children.filter((child) => settings.all || settings.almostAll || !child.name.startsWith('.'))
      entries = await Promise.all(visible.map(async (child) => ({ name: child.name, stat: await ctx.fs.stat(joinPath(absolute, child.name)) })))
      if (settings.all) {
        const parent = absolute === '/' ? '/' : absolute.slice(0, absolute.lastIndexOf('/')) || '/'
        entries.push({ name: '.', stat: await ctx.fs.stat(absolute) }, { name: '..', stat: await ctx.fs.stat(parent) })
      }
    } catch (thrown) {
      report(ctx, `cannot open directory ${quoteAlways(display)}: ${fsReason(thrown)}`)
      this.status = Math.max(this.status, 2)
      return
    }
    entries.sort(settings.order)
    const header = this.headers ? `${this.printedSomething ? '\n' : ''}${display}:\n` : ''
    const total = settings.long ? `total ${entries.reduce((sum, entry) => sum + blocks512(entry.stat), 0) / 2}\n` : ''
    this.write(header + total + render(entries, settings))
    if (!settings.recursive) return
    for (const entry of entries) {
      if (entry.stat.type !== 'directory' || entry.name === '.' || entry.name === '..') continue
      await this.directory(joinDisplay(display, entry.name), joinPath(absolute, entry.name))
    }
  }
}

export const ls: Command = async (ctx) => {
  const parsed = parseArgs('ls', ctx.args, SPEC)
  const reverse = parsed.has('r') ? -1 : 1
  const byName = (a: Entry, b: Entry) => compareCodePoints(a.name, b.name)
  const key = parsed.has('t') ? (a: Entry, b: Entry) => b.stat.mtime - a.stat.mtime : parsed.has('S') ? (a: Entry, b: Entry) => b.stat.size - a.stat.size : () => 0
  const settings: Settings = {
    long: parsed.has('l'),
    all: parsed.has('a'),
    almostAll: parsed.has('A'),
    recursive: parsed.has('R') && !parsed.has('d'),
    human: parsed.has('h'),
    slash: parsed.has('F') || parsed.has('p'),
    order: (a, b) => reverse * (key(a, b) || byName(a, b)),
  }
  const operands = parsed.operands.length > 0 ? parsed.operands : ['.']
  const files: Entry[] = []
  const directories: Array<Entry & { absolute: string }> = []
  let status = 0
  for (const operand of operands) {
    try {
      const absolute = resolve(ctx, operand)
      const stat = await ctx.fs.stat(absolute)
      if (stat.type === 'directory' && !parsed.has('d')) directories.push({ name: operand, stat, absolute })
      else files.push({ name: operand, stat })
    } catch (thrown) {
      report(ctx, `cannot access ${quoteAlways(operand)}: ${fsReason(thrown)}`)
      status = 2
    }
  }
  const lister = new Lister(ctx, settings, operands.length > 1 || settings.recursive)
  lister.write(render(files.sort(settings.order), settings))
  for (const directory of directories.sort(settings.order)) await lister.directory(directory.name, directory.absolute)
  return Math.max(status, lister.status)
}
