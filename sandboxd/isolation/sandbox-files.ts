/**
 * Files sandboxd mounts into every sandbox, prepared once at start-up under
 * `<state>/lib` (world-readable: bwrap opens bind sources as the sandbox uid):
 *
 * - `passwd` / `group`: the host's, with uid/gid 1000 named `fabric`, so
 *   `ls -l` and `id` inside print the owner tier 1 prints for fsx files;
 * - `hide-reserved.so`: hide-reserved.c compiled with the reserved names of
 *   types/sandbox-paths.ts, so readdir("/") lists the tenant's files only.
 *   Without a C compiler it is null and `ls /` also shows the mount points
 *   (the health report and the log say so);
 * - `supervisor`: supervisor.c compiled, the process a warm sandbox keeps
 *   alive to run commands in. Without a C compiler it is null and every
 *   command gets a fresh sandbox (slower; the log says so).
 */
import { spawnSync } from 'node:child_process'
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { RESERVED_ROOT_NAMES } from '../../types/sandbox-paths.ts'
import { SANDBOX_IDENTITY, type SandboxFiles } from './launch-argv.ts'

const PRELOAD_SOURCE = fileURLToPath(new URL('./hide-reserved.c', import.meta.url))
const SUPERVISOR_SOURCE = fileURLToPath(new URL('./supervisor.c', import.meta.url))

/** `/etc/passwd` or `/etc/group` text with every entry of the sandbox identity's id or name replaced by it. */
export function withSandboxIdentity(text: string, kind: 'passwd' | 'group'): string {
  const { name, id } = SANDBOX_IDENTITY
  const kept = text.split('\n').filter((line) => {
    if (line.trim() === '') return false
    const fields = line.split(':')
    return fields[0] !== name && fields[2] !== String(id)
  })
  const entry = kind === 'passwd' ? `${name}:x:${id}:${id}:${name}:/tmp:/bin/sh` : `${name}:x:${id}:`
  return [...kept, entry, ''].join('\n')
}

interface Compiled {
  path: string | null
  problem: string | null
}

/** Builds `source` into `dir/name` (aside and renamed, so a sandbox starting meanwhile never maps a half-written file). */
async function compile(compiler: string, dir: string, name: string, source: string, flags: string[], consequence: string): Promise<Compiled> {
  const building = join(dir, `${name}.${process.pid}`)
  const built = spawnSync(compiler, [...flags, '-O2', '-o', building, source], { encoding: 'utf8' })
  if (built.error || built.status !== 0) {
    const why = built.error ? built.error.message : built.stderr.trim()
    return { path: null, problem: `could not compile ${basename(source)} (${why}); install a C compiler (apt-get install -y gcc) so ${consequence}` }
  }
  const path = join(dir, name)
  await chmod(building, 0o755)
  await rename(building, path)
  return { path, problem: null }
}

export interface PreparedFiles {
  files: SandboxFiles
  /** The compiled supervisor, or null (then every command gets a fresh sandbox). */
  supervisor: string | null
  problems: string[]
}

export async function prepareSandboxFiles(stateDir: string, compiler = 'cc'): Promise<PreparedFiles> {
  await mkdir(stateDir, { recursive: true })
  await chmod(stateDir, 0o711)
  const dir = join(stateDir, 'lib')
  await mkdir(dir, { recursive: true })
  await chmod(dir, 0o755)
  const passwd = join(dir, 'passwd')
  const group = join(dir, 'group')
  await writeFile(passwd, withSandboxIdentity(await readFile('/etc/passwd', 'utf8'), 'passwd'), { mode: 0o644 })
  await writeFile(group, withSandboxIdentity(await readFile('/etc/group', 'utf8'), 'group'), { mode: 0o644 })
  const names = RESERVED_ROOT_NAMES.map((name) => `"${name}"`).join(',')
  const preload = await compile(compiler, dir, 'hide-reserved.so', PRELOAD_SOURCE, ['-shared', '-fPIC', `-DRESERVED_NAMES=${names}`], "'ls /' in the sandbox lists only tenant files")
  const supervisor = await compile(compiler, dir, 'supervisor', SUPERVISOR_SOURCE, [], 'each agent keeps a warm sandbox instead of one per command')
  return {
    files: { passwd, group, preload: preload.path },
    supervisor: supervisor.path,
    problems: [preload.problem, supervisor.problem].filter((problem) => problem !== null),
  }
}
