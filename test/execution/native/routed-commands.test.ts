/**
 * Utilities that run commands (xargs, find -exec, timeout) through the real tier
 * router: a command tier 1 knows stays on tier 1, one it does not goes to
 * the next tier up, and without one that can take it the utility says
 * NOT_SUPPORTED rather than answering differently. Tier 4 here is a
 * recording executor standing in for the sandbox, so the test can see which
 * commands reached it. Also the "Done when" lines for awk, xargs and
 * find on tier 1, and awk staying within its deadline.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { ExecResult } from '../../../types/execution'
import type { ExecCall, TierExecutor } from '../../../src/execution/executor'
import { createExecute } from '../../../src/execution/index'
import { nativeExecutor } from '../../../src/execution/native/index'
import { runCommandLine } from '../../../src/execution/shell/index'
import { unavailableTier } from '../../../src/execution/tier-table'
import { freshFs, runNative } from './harness'

/** A tier 4 that answers every call with its argv, and remembers what it ran. */
function recordingSandbox(): TierExecutor & { calls: string[] } {
  const calls: string[] = []
  return {
    tier: 4,
    calls,
    handles: async () => true,
    isAvailable: async () => true,
    run: async (call: ExecCall): Promise<ExecResult> => {
      calls.push([call.operation, ...(call.args as string[])].join(' '))
      return {
        ok: true,
        tier: 4,
        operation: call.operation,
        executionId: call.options.executionId,
        traceId: call.options.traceId,
        exitCode: 0,
        stdout: `tier4 ran ${call.operation} ${(call.args as string[]).join(' ')}\n`,
        stderr: '',
        duration: 0,
      }
    },
  }
}

async function fixture() {
  const fs = freshFs()
  await fs.mkdir('/d', { recursive: true })
  await fs.write('/d/a.txt', 'one\ntwo\n')
  await fs.write('/d/b.txt', 'three\n')
  await fs.write('/d/data.csv', 'x,1\ny,2.5\nz,-0.5\n')
  await fs.write('/d/notes.md', 'n\n')
  return fs
}

describe('commands run by tier-1 utilities are routed', () => {
  it('xargs python3 goes to tier 4 while xargs itself stays on tier 1', async () => {
    const fs = await fixture()
    const sandbox = recordingSandbox()
    const execute = createExecute({ bindings: env, fs, tenantId: 'test', tiers: { 1: nativeExecutor, 2: unavailableTier(2), 3: unavailableTier(3), 4: sandbox } })
    const result = await execute('xargs', ['-n1', 'python3', '-c', 'print(1)'], { stdin: 'a b\n', cwd: '/d' })
    expect(result).toMatchObject({ ok: true, tier: 1, stdout: 'tier4 ran python3 -c print(1) a\ntier4 ran python3 -c print(1) b\n' })
    expect(sandbox.calls).toEqual(['python3 -c print(1) a', 'python3 -c print(1) b'])
  })

  it('xargs grep and find -exec wc stay on tier 1', async () => {
    const fs = await fixture()
    const sandbox = recordingSandbox()
    const execute = createExecute({ bindings: env, fs, tenantId: 'test', tiers: { 1: nativeExecutor, 2: unavailableTier(2), 3: unavailableTier(3), 4: sandbox } })
    const grep = await execute('xargs', ['grep', '-c', 'o'], { stdin: 'a.txt b.txt\n', cwd: '/d' })
    expect(grep).toMatchObject({ ok: true, tier: 1, stdout: 'a.txt:2\nb.txt:0\n' })
    const found = await execute('find', ['.', '-name', '*.txt', '-exec', 'wc', '-l', '{}', '+'], { cwd: '/d', tier: 1 })
    expect(found).toMatchObject({ ok: true, tier: 1, stdout: ' 2 ./a.txt\n 1 ./b.txt\n 3 total\n' })
    expect(sandbox.calls).toEqual([])
  })

  it('timeout runs its command through the router: timeout grep stays on tier 1, timeout python3 reaches tier 4', async () => {
    const fs = await fixture()
    const sandbox = recordingSandbox()
    const execute = createExecute({ bindings: env, fs, tenantId: 'test', tiers: { 1: nativeExecutor, 2: unavailableTier(2), 3: unavailableTier(3), 4: sandbox } })
    expect(await execute('timeout', ['5', 'grep', '-c', 'o', 'a.txt'], { cwd: '/d' })).toMatchObject({ ok: true, tier: 1, stdout: '2\n' })
    expect(await execute('timeout', ['5s', 'python3', '-V'], { cwd: '/d' })).toMatchObject({ ok: true, tier: 1, stdout: 'tier4 ran python3 -V\n' })
    expect(sandbox.calls).toEqual(['python3 -V'])
  })

  it('timeout cuts its command at DURATION with status 124 (137 for -s KILL), and passes stdin through', async () => {
    const fs = await fixture()
    const execute = createExecute({ bindings: env, fs, tenantId: 'test', tiers: { 1: nativeExecutor, 2: unavailableTier(2), 3: unavailableTier(3), 4: unavailableTier(4) } })
    expect(await execute('timeout', ['0.1', 'sleep', '30'], { cwd: '/d' })).toMatchObject({ tier: 1, exitCode: 124 })
    expect(await execute('timeout', ['-s', 'KILL', '0.1', 'sleep', '30'], { cwd: '/d' })).toMatchObject({ tier: 1, exitCode: 137 })
    expect(await execute('timeout', ['--preserve-status', '0.1', 'sleep', '30'], { cwd: '/d' })).toMatchObject({ tier: 1, exitCode: 143 })
    expect(await execute('timeout', ['5', 'sort', '-r'], { cwd: '/d', stdin: 'a\nc\nb\n' })).toMatchObject({ ok: true, stdout: 'c\nb\na\n' })
    expect(await execute('timeout', ['1x', 'true'], { cwd: '/d' })).toMatchObject({ exitCode: 125, stderr: "timeout: invalid time interval \u20181x\u2019\nTry 'timeout --help' for more information.\n" })
  })

  it('without a sandbox, xargs of an unknown command is NOT_SUPPORTED, never a different answer', async () => {
    const fs = await fixture()
    const execute = createExecute({ bindings: env, fs, tenantId: 'test', tiers: { 1: nativeExecutor, 2: unavailableTier(2), 3: unavailableTier(3), 4: unavailableTier(4) } })
    const result = await execute('xargs', ['python3'], { stdin: 'a\n', cwd: '/d' })
    expect(result.ok).toBe(false)
    expect(result.error?.code).toBe('NOT_SUPPORTED')
  })

  it('the issue\'s lines answer with GNU\'s bytes on tier 1', async () => {
    const fs = await fixture()
    const execute = createExecute({ bindings: env, fs, tenantId: 'test', tiers: { 1: nativeExecutor, 2: unavailableTier(2), 3: unavailableTier(3), 4: unavailableTier(4) } })
    const line = (text: string) =>
      runCommandLine(text, { fs, cwd: '/d', env: {}, runStage: (operation, args, io) => execute(operation, args, { ...io, tier: 1 }) })
    expect(await line('ls | xargs -n1 wc -c')).toMatchObject({ ok: true, stdout: '8 a.txt\n6 b.txt\n17 data.csv\n2 notes.md\n' })
    expect(await line("awk -F, '{s+=$2} END {print s}' data.csv")).toMatchObject({ ok: true, stdout: '3\n' })
    expect(await line("find . -name '*.txt' -exec wc -l {} +")).toMatchObject({ ok: true, stdout: ' 2 ./a.txt\n 1 ./b.txt\n 3 total\n' })
  })
})

describe('awk is bounded', () => {
  it('(a+)+$ over 10,000 a and a b completes (the regex engine is linear)', async () => {
    const fs = freshFs()
    await fs.write('/p.txt', `${'a'.repeat(10_000)}b\n`)
    const result = await runNative(fs, ['awk', '/(a+)+$/ {n++} END {print n+0, match($0, /(a|aa)+b/), RLENGTH}', '/p.txt'], { timeoutMs: 10_000 })
    expect(result).toMatchObject({ ok: true, stdout: '0 1 10001\n' })
  })

  it('an endless loop stops at timeoutMs with TIMEOUT', async () => {
    const result = await runNative(freshFs(), ['awk', 'BEGIN { while (1) x++ }'], { timeoutMs: 200 })
    expect(result.error?.code).toBe('TIMEOUT')
  })

  it('an endless loop of regex work also stops at its deadline', async () => {
    const result = await runNative(freshFs(), ['awk', 'BEGIN { s = "aaaa"; while (1) gsub(/a/, "a", s) }'], { timeoutMs: 200 })
    expect(result.error?.code).toBe('TIMEOUT')
  })
})
