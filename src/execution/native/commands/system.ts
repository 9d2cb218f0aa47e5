/**
 * What a Worker without a host answers about "the system": uname, hostname,
 * whoami and id print fixed, documented values (docs/native.md, "Identity on
 * tier 1") so an agent sees the same answer on every call and every isolate;
 * printenv reads the call's environment; which finds tier-1 utilities where
 * a Debian system keeps them (/usr/bin), and sends any other name to tier 4,
 * whose PATH is real.
 */
import { parseArgs } from '../argv'
import { UnsupportedFeature, UsageError, type Command } from '../context'
import { Pacer } from '../pace'
import { quoteLocale } from '../quote'

export const IDENTITY = {
  sysname: 'Linux',
  nodename: 'sandbox',
  release: '6.1.0-edge-fabric',
  version: '#1 SMP edge-fabric tier 1',
  machine: 'x86_64',
  os: 'GNU/Linux',
  user: 'agent',
  uid: 1000,
} as const

const UNAME_FIELDS: ReadonlyArray<[string, string, string]> = [
  ['s', 'kernel-name', IDENTITY.sysname],
  ['n', 'nodename', IDENTITY.nodename],
  ['r', 'kernel-release', IDENTITY.release],
  ['v', 'kernel-version', IDENTITY.version],
  ['m', 'machine', IDENTITY.machine],
  ['p', 'processor', 'unknown'],
  ['i', 'hardware-platform', 'unknown'],
  ['o', 'operating-system', IDENTITY.os],
]

export const uname: Command = async (ctx) => {
  const long: Record<string, { key: string }> = { all: { key: 'a' } }
  for (const [key, name] of UNAME_FIELDS) long[name] = { key }
  const parsed = parseArgs('uname', ctx.args, { flags: 'asnrvmpio', long })
  if (parsed.operands.length > 0) throw new UsageError(`extra operand ${quoteLocale(parsed.operands[0] as string)}`)
  const all = parsed.has('a')
  const wanted = UNAME_FIELDS.filter(([key]) => parsed.has(key) || (all && key !== 'p' && key !== 'i'))
  const fields = wanted.length > 0 ? wanted : UNAME_FIELDS.slice(0, 1)
  ctx.stdout.write(`${fields.map(([, , value]) => value).join(' ')}\n`)
  return 0
}

export const hostname: Command = async (ctx) => {
  const parsed = parseArgs('hostname', ctx.args, { flags: 's', long: { short: { key: 's' } } })
  if (parsed.operands.length > 0) throw new UnsupportedFeature('hostname', 'setting the host name')
  ctx.stdout.write(`${IDENTITY.nodename}\n`)
  return 0
}

export const whoami: Command = async (ctx) => {
  const parsed = parseArgs('whoami', ctx.args, {})
  if (parsed.operands.length > 0) throw new UsageError(`extra operand ${quoteLocale(parsed.operands[0] as string)}`)
  ctx.stdout.write(`${IDENTITY.user}\n`)
  return 0
}

export const id: Command = async (ctx) => {
  const parsed = parseArgs('id', ctx.args, {
    flags: 'ugGnr',
    long: { user: { key: 'u' }, group: { key: 'g' }, groups: { key: 'G' }, name: { key: 'n' }, real: { key: 'r' } },
  })
  const [user, extra] = parsed.operands
  if (extra !== undefined) throw new UsageError(`extra operand ${quoteLocale(extra)}`)
  if (user !== undefined && user !== IDENTITY.user && user !== String(IDENTITY.uid)) {
    ctx.stderr.write(`id: ${quoteLocale(user)}: no such user\n`)
    return 1
  }
  const selected = ['u', 'g', 'G'].filter((key) => parsed.has(key))
  if (selected.length > 1) throw new UsageError('cannot print "only" of more than one choice', true)
  if (selected.length === 0) {
    if (parsed.has('n') || parsed.has('r')) throw new UsageError('cannot print only names or real IDs in default format', true)
    const who = `${IDENTITY.uid}(${IDENTITY.user})`
    ctx.stdout.write(`uid=${who} gid=${who} groups=${who}\n`)
    return 0
  }
  ctx.stdout.write(`${parsed.has('n') ? IDENTITY.user : IDENTITY.uid}\n`)
  return 0
}

export const printenv: Command = async (ctx) => {
  const parsed = parseArgs('printenv', ctx.args, { flags: '0', long: { null: { key: '0' } } })
  const terminator = parsed.has('0') ? '\0' : '\n'
  if (parsed.operands.length === 0) {
    for (const [name, value] of Object.entries(ctx.env)) ctx.stdout.write(`${name}=${value}${terminator}`)
    return 0
  }
  let status = 0
  for (const name of parsed.operands) {
    const value = name.includes('=') ? undefined : ctx.env[name]
    if (value === undefined) status = 1
    else ctx.stdout.write(value + terminator)
  }
  return status
}

/** which over the tier-1 utilities; `isTier1` is the registry's answer, passed in to avoid an import cycle. */
export function whichCommand(isTier1: (name: string) => boolean): Command {
  return async (ctx) => {
    const parsed = parseArgs('which', ctx.args, {})
    for (const name of parsed.operands) if (name.includes('/') || !isTier1(name)) throw new UnsupportedFeature('which', `a program outside tier 1 (${name})`)
    for (const name of parsed.operands) ctx.stdout.write(`/usr/bin/${name}\n`)
    return parsed.operands.length === 0 ? 1 : 0
  }
}

/** yes: its operands (or `y`) forever, until its reader closes the pipe, the output cap or the deadline stops it. */
export const yes: Command = async (ctx) => {
  const line = `${ctx.args.length > 0 ? ctx.args.join(' ') : 'y'}\n`
  const block = line.repeat(Math.max(1, Math.floor(8192 / line.length)))
  const pacer = new Pacer(ctx.signal)
  for (let written = 0; ; written += block.length) {
    ctx.stdout.write(block)
    await ctx.stdout.drain()
    if (pacer.due(written)) await pacer.pause(written)
  }
}
