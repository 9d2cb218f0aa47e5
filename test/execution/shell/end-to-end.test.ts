/**
 * Command lines end to end: the shell over the real tier router (with
 * fallback) and the real tier-1 executor on an fsx memory filesystem. Tiers
 * 2–4 are the router's "not wired" tiers here, so stages tier 1 does not
 * know come back TIER_UNAVAILABLE from tier 4 — which is exactly what the
 * fabric answers without a sandbox.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { ExecResult, FileSystem } from '../../../types/execution'
import { createExecute, type Execute } from '../../../src/execution/index'
import { nativeExecutor } from '../../../src/execution/native/index'
import { runCommandLine } from '../../../src/execution/shell/index'
import { runCommand } from '../../../src/execution/command'
import { unavailableTier } from '../../../src/execution/tier-table'
import { freshFs } from '../native/harness'

function tier1Execute(fs: FileSystem) {
  return createExecute({
    bindings: env,
    fs,
    tenantId: 'test',
    tiers: { 1: nativeExecutor, 2: unavailableTier(2), 3: unavailableTier(3), 4: unavailableTier(4) },
  })
}

function lineRunner(fs: FileSystem) {
  const execute = tier1Execute(fs)
  return (line: string, options: { cwd?: string; env?: Record<string, string>; stdin?: string } = {}): Promise<ExecResult> =>
    runCommandLine(line, {
      fs,
      cwd: options.cwd ?? '/',
      env: options.env ?? {},
      ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
      executionId: 'exe_e2e',
      traceId: 'trace_e2e',
      runStage: (operation, args, io) => execute(operation, args, { stdin: io.stdin, cwd: io.cwd, env: io.env }),
    })
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')
}

describe('command lines on tier 1', () => {
  it('echo one > /b && echo two >> /b; cat /b gives one\\ntwo\\n', async () => {
    const fs = freshFs()
    const result = await lineRunner(fs)('echo one > /b && echo two >> /b; cat /b')
    expect(result).toMatchObject({ ok: true, exitCode: 0, stdout: 'one\ntwo\n', stderr: '', tier: 1, operation: 'sh' })
    // echo is a builtin (run in process, as in bash); cat is a tier-1 stage.
    expect(result.stages?.map((stage) => [stage.operation, stage.tier, stage.exitCode])).toEqual([['cat', 1, 0]])
    expect(await fs.readText('/b')).toBe('one\ntwo\n')
  })

  it('cat /a.txt | grep x | wc -l counts the matching lines', async () => {
    const fs = freshFs()
    await fs.write('/a.txt', 'x1\nno\nx2\nxx3\nnope\n')
    const result = await lineRunner(fs)('cat /a.txt | grep x | wc -l')
    expect(result).toMatchObject({ ok: true, stdout: '3\n', tier: 1 })
  })

  it('keeps binary bytes intact through a pipe', async () => {
    const fs = freshFs()
    const raw = new Uint8Array(Array.from({ length: 256 }, (_, i) => 255 - i))
    await fs.write('/blob.bin', raw)
    const run = lineRunner(fs)
    await run('base64 /blob.bin > /blob.b64')
    const result = await run('base64 -d /blob.b64 | sha256sum')
    expect(result.stdout).toBe(`${await sha256Hex(raw)}  -\n`)
    const passthrough = await run('cat /blob.bin | cat')
    expect(passthrough.stdoutBase64).toBeDefined()
    expect(new Uint8Array(await new Response(Uint8Array.from(atob(passthrough.stdoutBase64 ?? ''), (c) => c.charCodeAt(0))).arrayBuffer())).toEqual(raw)
  })

  it('runs a realistic data pipeline with quoting and variables', async () => {
    const fs = freshFs()
    await fs.write('/data/scores.csv', 'name,score\nann,90\nbob,85\ncy,97\ndee,70\n', { parents: true })
    const result = await lineRunner(fs)('tail -n +2 scores.csv | sort -t, -k2 -rn | head -n "$TOP" | cut -d, -f1 > top.txt && cat top.txt', {
      cwd: '/data',
      env: { TOP: '2' },
    })
    expect(result).toMatchObject({ ok: true, stdout: 'cy\nann\n' })
  })

  it('short-circuits on real exit statuses', async () => {
    const fs = freshFs()
    await fs.write('/present', 'x')
    const result = await lineRunner(fs)('test -f /present && echo yes || echo no; test -d /present && echo dir || echo "not a dir: $?"')
    expect(result.stdout).toBe('yes\nnot a dir: 1\n')
  })

  it('edits in place with sed and reads the result back', async () => {
    const fs = freshFs()
    await fs.write('/conf.ini', 'debug=false\nport=80\n')
    const result = await lineRunner(fs)("sed -i 's/debug=false/debug=true/' /conf.ini && grep -c true /conf.ini")
    expect(result.stdout).toBe('1\n')
    expect(await fs.readText('/conf.ini')).toBe('debug=true\nport=80\n')
  })

  it('sends an unknown operation to tier 4 and reports that tier as unavailable', async () => {
    const result = await lineRunner(freshFs())('echo 1 | python3 -c "print(1)"')
    expect(result.tier).toBe(4)
    expect(result.stages?.map((stage) => [stage.operation, stage.tier])).toEqual([['python3', 4]])
    expect(result.error?.code).toBe('TIER_UNAVAILABLE')
    expect(result.ok).toBe(false)
  })

  it('keeps the NOT_SUPPORTED of tier 1, naming tier 4, when an option needs tier 4 and no sandbox is there', async () => {
    const fs = freshFs()
    await fs.write('/a.txt', 'a\n')
    const result = await lineRunner(fs)('grep -P "a+" /a.txt')
    // No sandbox in this suite: the caller keeps tier 1's refusal, told that tier 4 could run it.
    expect(result.stages?.map((stage) => stage.tier)).toEqual([1])
    expect(result.error?.code).toBe('NOT_SUPPORTED')
  })

  it('times a pipeline with the time keyword in bash\'s formats, on tier 1', async () => {
    const run = lineRunner(freshFs())
    const plain = await run('time echo hi | tr a-z A-Z')
    expect(plain).toMatchObject({ ok: true, tier: 1, stdout: 'HI\n' })
    expect(plain.stderr).toMatch(/^\nreal\t0m\d\.\d{3}s\nuser\t0m0\.000s\nsys\t0m0\.000s\n$/)
    const posix = await run('time -p false; echo $?')
    expect(posix.stdout).toBe('1\n')
    expect(posix.stderr).toMatch(/^real \d+\.\d\d\nuser 0\.00\nsys 0\.00\n$/)
    const custom = await run('TIMEFORMAT="%U|%1lS|%%"; time ! true; echo $?')
    expect(custom).toMatchObject({ stdout: '1\n', stderr: '0.000|0m0.0s|%\n' })
  })

  it('gives the caller stdin to the first stage', async () => {
    const result = await lineRunner(freshFs())('sort | uniq -c', { stdin: 'b\na\nb\n' })
    expect(result.stdout).toBe('      1 a\n      2 b\n')
  })

  it('answers a malformed line with PARSE_ERROR and runs nothing', async () => {
    const fs = freshFs()
    const result = await lineRunner(fs)('echo x > /made && cat /made |')
    expect(result.error).toMatchObject({ code: 'PARSE_ERROR', details: { column: 30 } })
    expect(await fs.exists('/made')).toBe(false)
  })
})

describe('pipelines through the fabric wiring (command.ts): tier-1 stages stream', () => {
  it('ends endless producers once head has its lines; the producer reports 141', async () => {
    const fs = freshFs()
    const result = await runCommand('yes | head -3; seq 1 100000000 | head -1; echo ${PIPESTATUS[@]}', { execute: tier1Execute(fs), fs, options: {} })
    expect(result).toMatchObject({ ok: true, exitCode: 0, stdout: 'y\ny\ny\n1\n141 0\n', tier: 1 })
    // yes is a builtin; seq and head are tier-1 stages, reported in pipeline order.
    expect(result.stages?.map((stage) => [stage.operation, stage.tier, stage.exitCode])).toEqual([['head', 1, 0], ['seq', 1, 141], ['head', 1, 0]])
  })

  it('a line pinned to tier 4 goes whole to tier 4 as bash -c, builtins included; pinned to tier 1, builtins stay in the shell', async () => {
    const fs = freshFs()
    const calls: Array<[string, unknown[], number | undefined, string | undefined]> = []
    const recording: Execute = async (operation, args, options = {}) => {
      calls.push([operation, args, options.tier, options.cwd])
      return { ok: true, tier: options.tier ?? 1, operation, exitCode: 0, stdout: 'from the sandbox\n', stderr: '', duration: 1, executionId: 'exe_pin', traceId: 'trace_pin' }
    }
    const pinned = await runCommand('true; cd /d && echo "$PWD"', { execute: recording, fs, options: { tier: 4, cwd: '/w' } })
    expect(calls).toEqual([['bash', ['-c', 'true; cd /d && echo "$PWD"'], 4, '/w']])
    expect(pinned).toMatchObject({ ok: true, tier: 4, operation: 'sh', stdout: 'from the sandbox\n' })
    expect(pinned.stages?.map((stage) => [stage.operation, stage.tier])).toEqual([['bash', 4]])
    calls.length = 0
    const tier1 = await runCommand('true', { execute: recording, fs, options: { tier: 1 } })
    expect(calls).toEqual([])
    expect(tier1).toMatchObject({ ok: true, tier: 1, exitCode: 0, stdout: '' })
  })

  it('hands a stage tier 1 refuses before reading to the router, which falls back (tier 4 is not wired here)', async () => {
    const fs = freshFs()
    const result = await runCommand('printf "a1\\n" | grep -P "\\d"; echo after', { execute: tier1Execute(fs), fs, options: {} })
    expect(result.stdout).toBe('after\n')
    expect(result.stages?.map((stage) => stage.operation)).toEqual(['grep'])
    expect(result.stages?.[0]?.exitCode).not.toBe(0)
  })
})
