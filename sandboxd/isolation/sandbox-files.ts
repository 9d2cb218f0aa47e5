/**
 * Files sandboxd mounts into every sandbox, prepared once at start-up under
 * `<state>/lib` (world-readable: bwrap opens bind sources as the sandbox uid):
 *
 * - `passwd` / `group`: the host's, with uid/gid 1000 named `fabric`, so
 *   `ls -l` and `id` inside print the owner tier 1 prints for fsx files;
 * - `hide-reserved.so`: hide-reserved.c compiled with the reserved names of
 *   types/sandbox-paths.ts, so readdir("/") lists the tenant's files only.
 *   Without a C compiler it is null and `ls /` also shows the mount points
 *   (the health report and the log say so).
 */
import { spawnSync } from 'node:child_process'
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { RESERVED_ROOT_NAMES } from '../../types/sandbox-paths.ts'
import { SANDBOX_IDENTITY, type SandboxFiles } from './launch-argv.ts'

const PRELOAD_SOURCE = fileURLToPath(new URL('./hide-reserved.c', import.meta.url))

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

function compilePreload(output: string): { path: string | null; problem: string | null } {
  const names = RESERVED_ROOT_NAMES.map((name) => `"${name}"`).join(',')
  const built = spawnSync('cc', ['-shared', '-fPIC', '-O2', `-DRESERVED_NAMES=${names}`, '-o', output, PRELOAD_SOURCE], { encoding: 'utf8' })
  if (built.error || built.status !== 0) {
    const why = built.error ? built.error.message : built.stderr.trim()
    return { path: null, problem: `could not compile hide-reserved.c (${why}); install a C compiler (apt-get install -y gcc) so 'ls /' in the sandbox lists only tenant files` }
  }
  return { path: output, problem: null }
}

export async function prepareSandboxFiles(stateDir: string): Promise<SandboxFiles & { problem: string | null }> {
  await mkdir(stateDir, { recursive: true })
  await chmod(stateDir, 0o711)
  const dir = join(stateDir, 'lib')
  await mkdir(dir, { recursive: true })
  await chmod(dir, 0o755)
  const passwd = join(dir, 'passwd')
  const group = join(dir, 'group')
  await writeFile(passwd, withSandboxIdentity(await readFile('/etc/passwd', 'utf8'), 'passwd'), { mode: 0o644 })
  await writeFile(group, withSandboxIdentity(await readFile('/etc/group', 'utf8'), 'group'), { mode: 0o644 })
  // Built aside and renamed, so a sandbox starting meanwhile never maps a half-written library.
  const building = join(dir, `hide-reserved.${process.pid}.so`)
  const compiled = compilePreload(building)
  const preload = join(dir, 'hide-reserved.so')
  if (compiled.path !== null) {
    await chmod(building, 0o755)
    await rename(building, preload)
  }
  return { passwd, group, preload: compiled.path === null ? null : preload, problem: compiled.problem }
}
