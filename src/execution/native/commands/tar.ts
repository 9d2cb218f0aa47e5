/**
 * tar over fsx: create (`-c`), list (`-t`) and extract (`-x`) with `-f
 * ARCHIVE` (`-` or none: stdin/stdout), `-v` (`-vv` long listing), `-z`,
 * `-C DIR`, `-O`, member operands, and the old bundled form (`tar czf a.tgz
 * dir`). Archives are POSIX ustar (tar-format.ts) that GNU tar reads; GNU's
 * own archives (GNU and pax headers) read back here, compressed ones too
 * (gzip is found by its magic when reading a file, as GNU does). Members are
 * owned by `fabric` (uid 1000, as ls -l shows); extracting keeps contents and
 * directories but not modes or times, which fsx cannot set (docs/native.md).
 * Symbolic and hard links are listed but not extracted (tier 4). Other
 * options (`-r -u -A --delete -j -J -p …`) go to tier 4.
 */
import { parseArgs, type ParsedArgs } from '../argv'
import { UnsupportedFeature, type Command, type CommandContext } from '../context'
import { OWNER, permissionLetters } from '../file-info'
import { fsReason, resolve } from '../io'
import { resolvePath } from '../../fsx/paths'
import { strftime } from '../strftime'
import { walk, type WalkEntry } from '../walk'
import { compress, decompress, NotGzip } from './gzip'
import { decodeArchive, encodeArchive, NotAnArchive, type TarEntry } from './tar-format'

const SPEC = {
  flags: 'cxtvzO',
  withValue: 'fC',
  long: {
    create: { key: 'c' },
    extract: { key: 'x' },
    get: { key: 'x' },
    list: { key: 't' },
    verbose: { key: 'v' },
    gzip: { key: 'z' },
    gunzip: { key: 'z' },
    ungzip: { key: 'z' },
    'to-stdout': { key: 'O' },
    file: { key: 'f', value: true },
    directory: { key: 'C', value: true },
  },
} as const

/** tar's status for every failure it reports. */
const FAILED = 2

class Fatal extends Error {}

/** GNU tar's old form: a first argument without a dash is a cluster of letters whose values follow it. */
function expandBundled(args: readonly string[]): string[] {
  const [first, ...rest] = args
  if (first === undefined || first.startsWith('-')) return [...args]
  const out: string[] = []
  for (const letter of first) {
    out.push(`-${letter}`)
    if (SPEC.withValue.includes(letter) && rest.length > 0) out.push(rest.shift() as string)
  }
  return [...out, ...rest]
}

interface Job {
  ctx: CommandContext
  parsed: ParsedArgs
  archive: string
  base: string
  verbose: number
  failed: boolean
}

function complain(job: Job, message: string): void {
  job.ctx.stderr.write(`tar: ${message}\n`)
  job.failed = true
}

function fatal(job: Job, message: string): never {
  job.ctx.stderr.write(`tar: ${message}\ntar: Error is not recoverable: exiting now\n`)
  throw new Fatal()
}

function modeLetters(entry: TarEntry): string {
  const kind = entry.type === '5' ? 'd' : entry.type === '2' ? 'l' : entry.type === '1' ? 'h' : '-'
  return kind + permissionLetters(entry.mode)
}

/** GNU's long listing, whose size column widens (never narrows) as wider owners and sizes appear. */
class Lister {
  private width = 19

  line(entry: TarEntry): string {
    const owner = `${entry.uname || entry.uid}/${entry.gname || entry.gid}`
    const size = String(entry.data.length)
    const needed = owner.length + 1 + size.length
    if (needed > this.width) this.width = needed
    const when = strftime('%Y-%m-%d %H:%M', { ms: entry.mtime * 1000 })
    const link = entry.type === '2' ? ` -> ${entry.linkName}` : entry.type === '1' ? ` link to ${entry.linkName}` : ''
    return `${modeLetters(entry)} ${owner} ${size.padStart(this.width - needed + size.length)} ${when} ${entry.name}${link}\n`
  }
}

function memberName(job: Job, display: string, warned: { leading: boolean }): string {
  const stripped = display.replace(/^\/+/, '')
  if (stripped !== display && !warned.leading) {
    warned.leading = true
    job.ctx.stderr.write("tar: Removing leading `/' from member names\n")
  }
  return stripped
}

/** The member for one walked path: its name (directories end in `/`), mode, time and contents. */
async function member(job: Job, entry: WalkEntry): Promise<TarEntry> {
  const { ctx } = job
  const stat = await ctx.fs.stat(entry.absolute)
  const directory = stat.type === 'directory'
  return {
    name: directory && !entry.display.endsWith('/') ? `${entry.display}/` : entry.display,
    type: directory ? '5' : '0',
    mode: stat.mode & 0o7777,
    uid: OWNER.id,
    gid: OWNER.id,
    uname: OWNER.name,
    gname: OWNER.name,
    mtime: Math.floor(stat.mtime / 1000),
    linkName: '',
    data: directory ? new Uint8Array(0) : await ctx.fs.read(entry.absolute),
  }
}

/** The members for one operand, parents first; a directory that cannot be listed is reported as GNU does and skipped. */
async function collect(job: Job, absolute: string, name: string): Promise<TarEntry[]> {
  const root: WalkEntry = { display: name, absolute, type: (await job.ctx.fs.stat(absolute)).type, depth: 0 }
  const onError = (entry: WalkEntry, thrown: unknown) => complain(job, `${entry.display}: Cannot open: ${fsReason(thrown)}`)
  const out: TarEntry[] = []
  for await (const entry of walk(job.ctx, root, { onError })) out.push(await member(job, entry))
  return out
}

async function create(job: Job): Promise<void> {
  const { ctx, parsed } = job
  if (parsed.operands.length === 0) {
    ctx.stderr.write("tar: Cowardly refusing to create an empty archive\nTry 'tar --help' or 'tar --usage' for more information.\n")
    throw new Fatal()
  }
  const toStdout = job.archive === '-'
  const lister = new Lister()
  const entries: TarEntry[] = []
  const warned = { leading: false }
  for (const operand of parsed.operands) {
    try {
      entries.push(...(await collect(job, resolvePath(job.base, operand), memberName(job, operand, warned))))
    } catch (thrown) {
      complain(job, `${operand}: Cannot stat: ${fsReason(thrown)}`)
    }
  }
  for (const entry of entries) {
    const line = job.verbose > 1 ? lister.line(entry) : `${entry.name}\n`
    if (job.verbose > 0) (toStdout ? ctx.stderr : ctx.stdout).write(line)
  }
  const archive = encodeArchive(entries)
  const bytes = job.parsed.has('z') ? await compress(archive, undefined, 0) : archive
  if (toStdout) ctx.stdout.write(bytes)
  else await ctx.fs.write(resolve(ctx, job.archive), bytes)
}

async function readArchive(job: Job): Promise<TarEntry[]> {
  const { ctx } = job
  let bytes: Uint8Array
  if (job.archive === '-') bytes = await ctx.stdin.readAll()
  else {
    try {
      bytes = await ctx.fs.read(resolve(ctx, job.archive))
    } catch (thrown) {
      fatal(job, `${job.archive}: Cannot open: ${fsReason(thrown)}`)
    }
  }
  const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b
  if (job.parsed.has('z') || (gzipped && job.archive !== '-')) {
    try {
      bytes = await decompress(bytes)
    } catch (thrown) {
      if (!(thrown instanceof NotGzip)) throw thrown
      ctx.stderr.write('\ngzip: stdin: not in gzip format\n')
      fatal(job, 'Child returned status 1')
    }
  } else if (gzipped) fatal(job, 'Archive is compressed. Use -z option')
  try {
    return decodeArchive(bytes)
  } catch (thrown) {
    if (!(thrown instanceof NotAnArchive)) throw thrown
    complain(job, 'This does not look like a tar archive')
    return []
  }
}

/** The entries the member operands select (all when none), reporting members not found. */
function select(job: Job, entries: readonly TarEntry[]): TarEntry[] {
  const members = job.parsed.operands.map((member) => member.replace(/\/+$/, ''))
  if (members.length === 0) return [...entries]
  const used = new Set<string>()
  const chosen = entries.filter((entry) => {
    const name = entry.name.replace(/\/+$/, '')
    const member = members.find((m) => name === m || name.startsWith(`${m}/`))
    if (member !== undefined) used.add(member)
    return member !== undefined
  })
  for (const member of members) if (!used.has(member)) complain(job, `${member}: Not found in archive`)
  return chosen
}

async function extract(job: Job, entries: readonly TarEntry[]): Promise<void> {
  const { ctx } = job
  const unsupported = entries.find((entry) => entry.type !== '0' && entry.type !== '5' && entry.type !== '7')
  if (unsupported !== undefined) throw new UnsupportedFeature('tar', `extracting ${unsupported.name} (type '${unsupported.type}': links and devices)`)
  const lister = new Lister()
  const warned = { leading: false }
  for (const entry of entries) {
    ctx.signal.throwIfAborted()
    if (job.verbose > 0) ctx.stdout.write(job.verbose > 1 ? lister.line(entry) : `${entry.name}\n`)
    if (job.parsed.has('O')) {
      if (entry.type !== '5') ctx.stdout.write(entry.data)
      continue
    }
    const name = memberName(job, entry.name, warned)
    if (name.split('/').includes('..')) {
      complain(job, `${entry.name}: Member name contains '..'`)
      continue
    }
    if (name === '' || name === './') continue
    const path = resolvePath(job.base, name)
    if (entry.type === '5') await ctx.fs.mkdir(path, { recursive: true, mode: entry.mode & 0o777 })
    else await ctx.fs.write(path, entry.data, { parents: true })
  }
}

async function run(job: Job): Promise<void> {
  const { parsed } = job
  const modes = ['c', 'x', 't'].filter((mode) => parsed.has(mode))
  if (modes.length !== 1) throw new UnsupportedFeature('tar', modes.length === 0 ? 'a mode other than -c, -x or -t' : 'several modes at once')
  if (parsed.all('C').length > 1) throw new UnsupportedFeature('tar', 'several -C options')
  const directory = parsed.last('C')
  if (directory !== undefined) {
    const path = resolve(job.ctx, directory)
    const stat = await job.ctx.fs.stat(path).catch(() => undefined)
    if (stat?.type !== 'directory') fatal(job, `${directory}: ${modes[0] === 'c' ? 'Cannot chdir' : 'Cannot open'}: ${stat ? 'Not a directory' : 'No such file or directory'}`)
    job.base = path
  }
  if (modes[0] === 'c') return create(job)
  const entries = select(job, await readArchive(job))
  if (modes[0] === 'x') return extract(job, entries)
  const lister = new Lister()
  for (const entry of entries) job.ctx.stdout.write(job.verbose > 0 ? lister.line(entry) : `${entry.name}\n`)
}

export const tar: Command = async (ctx) => {
  const parsed = parseArgs('tar', expandBundled(ctx.args), SPEC)
  const job: Job = { ctx, parsed, archive: parsed.last('f') ?? '-', base: ctx.cwd, verbose: parsed.all('v').length, failed: false }
  try {
    await run(job)
  } catch (thrown) {
    if (thrown instanceof Fatal) return FAILED
    throw thrown
  }
  if (!job.failed) return 0
  ctx.stderr.write('tar: Exiting with failure status due to previous errors\n')
  return FAILED
}
