/**
 * Bounded execution of a tier-1 line: the deadline ends an endless loop with
 * TIMEOUT while other work on the isolate keeps running; loops, recursion
 * and commands have limits that end the line with RESOURCE_EXHAUSTED; the
 * line's own output past its cap fails with OUTPUT_TRUNCATED; pipes between
 * stages stream, so a consumer that stops reading stops its producer.
 */
import { describe, expect, it } from 'vitest'
import type { FileSystem } from '../../../types/execution'
import { runCommandLine, type LineOptions } from '../../../src/execution/shell/index'
import { env } from 'cloudflare:workers'
import { freshFs } from '../native/harness'
import { tier1Stages } from './corpus/tier1-run'

function run(line: string, options: LineOptions & { timeoutMs?: number } = {}, fs: FileSystem = freshFs()) {
  return runCommandLine(
    line,
    {
      fs,
      cwd: '/',
      env: {},
      timeoutMs: options.timeoutMs ?? 20_000,
      ...tier1Stages(fs, env),
    },
    options,
  )
}

describe('deadline', () => {
  it('ends while true; do :; done with TIMEOUT (124), and other work runs meanwhile', async () => {
    let ticks = 0
    const timer = setInterval(() => ticks++, 5)
    const result = await run('while true; do :; done', { timeoutMs: 300 })
    clearInterval(timer)
    expect(result).toMatchObject({ ok: false, exitCode: 124, tier: 1 })
    expect(result.error?.code).toBe('TIMEOUT')
    // The loop yielded: the interval fired while it ran.
    expect(ticks).toBeGreaterThan(0)
  })
})

describe('limits', () => {
  it('stops loops past the iteration limit', async () => {
    const result = await run('for i in $(seq 1 1000); do :; done; echo never', { limits: { iterations: 100 } })
    expect(result.error?.code).toBe('RESOURCE_EXHAUSTED')
    expect(result.stdout).toBe('')
  })

  it('stops recursion past the call depth', async () => {
    const result = await run('f() { f; }; f', { limits: { depth: 50 } })
    expect(result.error?.code).toBe('RESOURCE_EXHAUSTED')
    expect(result.error?.message).toContain('deeper than 50')
  })

  it('stops a line past its command budget', async () => {
    const result = await run('while :; do x=1; done', { limits: { commands: 500, iterations: 1_000_000 } })
    expect(result.error?.code).toBe('RESOURCE_EXHAUSTED')
  })
})

describe('output caps and pipes', () => {
  it('answers seq 1 100000000 | head -1 and yes | head -3 like bash', async () => {
    expect(await run('seq 1 100000000 | head -1')).toMatchObject({ ok: true, exitCode: 0, stdout: '1\n' })
    expect(await run('yes | head -3')).toMatchObject({ ok: true, exitCode: 0, stdout: 'y\ny\ny\n' })
  })

  it('reports the producer cut by its reader as 141 (SIGPIPE) in PIPESTATUS and under pipefail', async () => {
    expect(await run('yes | head -n 1 >/dev/null; echo "${PIPESTATUS[@]}"')).toMatchObject({ stdout: '141 0\n' })
    expect(await run('set -o pipefail; yes | head -n 1')).toMatchObject({ exitCode: 141, stdout: 'y\n' })
  })

  it('counts a stream far past the output cap exactly (seq 1 3000000 | wc -l)', async () => {
    // 20.9 MB flows through the pipe: more than the 16 MiB cap, which no longer applies between stages.
    expect(await run('seq 1 3000000 | wc -l')).toMatchObject({ ok: true, stdout: '3000000\n' })
    expect(await run('seq 1 3000000 | cat | wc -c')).toMatchObject({ ok: true, stdout: '22888896\n' })
  })

  it('ends seq 1 100000000 | wc -l with the right count or TIMEOUT, never a wrong answer', async () => {
    const result = await run('seq 1 100000000 | wc -l', { timeoutMs: 1000 })
    if (result.ok) expect(result.stdout).toBe('100000000\n')
    else expect(result.error?.code).toBe('TIMEOUT')
  })

  it('lets grep stop an endless producer at -m, -q or a closed reader (141 in PIPESTATUS)', async () => {
    expect(await run('yes | grep -m2 y; echo "${PIPESTATUS[@]}"')).toMatchObject({ ok: true, stdout: 'y\ny\n141 0\n' })
    expect(await run('yes abc | grep -q b; echo "${PIPESTATUS[@]}"')).toMatchObject({ ok: true, stdout: '141 0\n' })
    expect(await run('seq 1 100000000 | grep -n 77 | head -2; echo "${PIPESTATUS[@]}"')).toMatchObject({ ok: true, stdout: '77:77\n177:177\n141 141 0\n' })
  })

  it('keeps grep -B/-A context and -c exact across stdin blocks of a long stream', async () => {
    // 300,000 lines are several of grep's stdin blocks; the context lines straddle no special place.
    expect(await run('seq 1 300000 | grep -B1 -A1 -E "^(99999|250000)$"')).toMatchObject({ ok: true, stdout: '99998\n99999\n100000\n--\n249999\n250000\n250001\n' })
    expect(await run('seq 1 300000 | grep -c 7')).toMatchObject({ ok: true, stdout: '122853\n' })
  })

  it('fails loudly when a command that reads its whole input gets more than the read-all cap', async () => {
    const result = await run('yes | sort | head -1')
    expect(result.error?.code).toBe('RESOURCE_EXHAUSTED')
    expect(result.error?.message).toContain('reads all of it at once')
  })

  it('fails a line whose own output passes the cap', async () => {
    const result = await run('yes')
    expect(result.error?.code).toBe('OUTPUT_TRUNCATED')
    expect(result.truncated).toBe(true)
  })
})
