/**
 * One path space: a tenant path is the same file on tier 1 and tier 4. Each
 * command line runs twice over the same fsx files — once routed as usual
 * (tier 1 where it can), once pinned to tier 4 (the whole line in the
 * sandbox's bash) — and must answer
 * the same stdout and exit status, and leave the same files behind.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { ExecResult, FileSystem } from '../../types/execution'
import type { Env } from '../../src/env'
import { runCommand } from '../../src/execution/command'
import { createFileSystem, tenantRoot } from '../../src/execution/fsx/index'
import { createExecute } from '../../src/execution/index'

const bindings = env as unknown as Env

function line(tenantId: string, command: string, tier?: 4): Promise<ExecResult> {
  const fs = createFileSystem('r2', { root: tenantRoot(tenantId), bindings })
  const execute = createExecute({ bindings, fs, tenantId })
  return runCommand(command, { execute, fs, options: tier ? { tier } : {} })
}

async function seeded(tenantId: string, files: Record<string, string>): Promise<FileSystem> {
  const fs = createFileSystem('r2', { root: tenantRoot(tenantId), bindings })
  for (const [path, text] of Object.entries(files)) await fs.write(path, text, { parents: true })
  return fs
}

/** Both runs over fresh copies of `files`: [routed as usual, all on tier 4]. */
async function bothWays(name: string, command: string, files: Record<string, string>): Promise<[ExecResult, ExecResult]> {
  const id = `one-path-${name}-${crypto.randomUUID().slice(0, 8)}`
  await seeded(`${id}-routed`, files)
  await seeded(`${id}-t4`, files)
  return [await line(`${id}-routed`, command), await line(`${id}-t4`, command, 4)]
}

const FILES = { '/a.txt': 'x1\ny\nx22\n', '/fx/a': 'same', '/fx/b': 'samE', '/docs/notes.txt': 'n\n', '/data.csv': '1,2\n' }

describe('a tenant path means the same file on tier 1 and tier 4', () => {
  it.each([
    ['grep-p', "grep -P '\\d+' /a.txt"],
    ['cmp', 'cmp /fx/a /fx/b'],
    ['find-root', "find / -name '*.txt' | sort"],
    ['ls-root', 'ls /'],
    ['cat-relative', 'cd /docs && cat notes.txt ../a.txt'],
  ])('%s: %s', async (name, command) => {
    const [routed, tier4] = await bothWays(name, command, FILES)
    expect(tier4.stages?.every((stage) => stage.tier === 4)).toBe(true)
    expect({ stdout: tier4.stdout, exitCode: tier4.exitCode }).toEqual({ stdout: routed.stdout, exitCode: routed.exitCode })
  })

  it('a line pinned to tier 4 runs whole in the sandbox, builtins included: one bash stage, and what it writes lands in fsx', async () => {
    const fs = await seeded('one-path-pinned', { '/docs/notes.txt': 'n\n' })
    const result = await line('one-path-pinned', 'true; cd /docs && pwd > /where.txt && echo "$PWD" $((6 * 7))', 4)
    expect(result).toMatchObject({ ok: true, tier: 4, exitCode: 0, stdout: '/docs 42\n' })
    expect(result.stages?.map((stage) => [stage.operation, stage.tier])).toEqual([['bash', 4]])
    expect(await fs.readText('/where.txt')).toBe('/docs\n')
    const alone = await line('one-path-pinned', 'true', 4)
    expect(alone).toMatchObject({ ok: true, tier: 4, exitCode: 0 })
  })

  it('find / lists only tenant files on tier 4: no system file of the sandbox', async () => {
    const [, tier4] = await bothWays('find-only', "find / -name '*.txt'", FILES)
    expect(tier4.stdout.split('\n').filter(Boolean).sort()).toEqual(['/a.txt', '/docs/notes.txt'])
  })

  it('mkdir -m 700 /d && ls -ld /d: the mode lands in fsx and both tiers print the same line (but the minute)', async () => {
    const [routed, tier4] = await bothWays('mkdir-mode', 'mkdir -m 700 /d && ls -ld /d', {})
    const minute = /[A-Z][a-z]{2} [ \d]\d \d\d:\d\d/
    expect(routed.stdout).toMatch(/^drwx------ 2 fabric fabric 4096 [A-Z][a-z]{2} [ \d]\d \d\d:\d\d \/d\n$/)
    expect(tier4.stdout.replace(minute, 'MINUTE')).toBe(routed.stdout.replace(minute, 'MINUTE'))
    expect(tier4.exitCode).toBe(0)
  })

  it('what a tier-4 program writes at /out/x is /out/x in fsx; empty files, deletions, renames and modes come back', async () => {
    const fs = await seeded('one-path-writes', { '/old.txt': 'old', '/gone.txt': 'bye' })
    const result = await line('one-path-writes', 'mkdir -p /out && echo hi > /out/x && touch /empty && rm /gone.txt && mv /old.txt /new.txt && mkdir -m 711 /priv', 4)
    expect(result.exitCode).toBe(0)
    expect(await fs.readText('/out/x')).toBe('hi\n')
    expect(await fs.readText('/empty')).toBe('')
    expect(await fs.exists('/gone.txt')).toBe(false)
    expect(await fs.exists('/old.txt')).toBe(false)
    expect(await fs.readText('/new.txt')).toBe('old')
    expect((await fs.stat('/priv')).mode).toBe(0o711)
  })

  it('a symlink or fifo a tier-4 command makes is refused EACCES naming the path, and the line fails', async () => {
    const fs = await seeded('one-path-special', { '/a.txt': 'a' })
    const refusal = "sandbox: '/link' is a symlink to '/a.txt'; fsx has no symlinks, so it was not synced back (copy the file instead)\n"
    // Routed per stage, `ln` runs alone on tier 4: its refusal fails it, so `&& echo` never runs.
    const result = await line('one-path-special', 'ln -s /a.txt /link && echo after')
    expect(result).toMatchObject({ ok: false, exitCode: 1, stdout: '' })
    expect(result.stderr).toBe(refusal)
    // Pinned to tier 4, the whole line runs before anything syncs back: its output stands, and the line fails.
    const pinned = await line('one-path-special', 'ln -s /a.txt /link && echo after', 4)
    expect(pinned).toMatchObject({ ok: false, exitCode: 1, stdout: 'after\n', error: { code: 'EACCES' } })
    expect(pinned.stderr).toBe(refusal)
    const fifo = await line('one-path-special', 'mkfifo /pipe', 4)
    expect(fifo).toMatchObject({ ok: false, exitCode: 1 })
    expect(fifo.stderr).toContain("'/pipe' is not a regular file or directory (a fifo, socket or device)")
    expect(await fs.exists('/link')).toBe(false)
  })

  it('the reserved system directories are refused in fsx and read-only on tier 4', async () => {
    const routed = await line('one-path-reserved', 'mkdir /usr/mine')
    expect(routed).toMatchObject({ exitCode: 1, stderr: "mkdir: cannot create directory ‘/usr/mine’: Read-only file system\n" })
    const tier4 = await line('one-path-reserved', 'mkdir /usr/mine', 4)
    expect(tier4).toMatchObject({ exitCode: 1, stderr: "mkdir: cannot create directory ‘/usr/mine’: Read-only file system\n" })
  })
})
