/**
 * The interpreter with a recording `runStage`: which operation each stage
 * is routed as, with which argv, env, cwd and exactly which stdin bytes;
 * how lists, pipelines, redirections (over a real fsx), expansions and
 * builtins combine into one result.
 */
import { describe, expect, it } from 'vitest'
import type { ExecResult, ExecutionTier, FileSystem } from '../../../types/execution'
import { ERROR_CODES, type ErrorCode } from '../../../types/errors'
import { bytesToBase64 } from '../../../src/execution/native/base64-codec'
import { runCommandLine, type StageIO } from '../../../src/execution/shell/index'
import { freshFs } from '../native/harness'

interface Call {
  operation: string
  args: string[]
  stdin: number[]
  cwd: string
  env: Record<string, string>
}

interface Reply {
  stdout?: string
  stdoutBytes?: Uint8Array
  stderr?: string
  exitCode?: number
  tier?: ExecutionTier
  code?: ErrorCode
}

type Script = (operation: string, args: string[], io: StageIO) => Reply

function reply(operation: string, r: Reply): ExecResult {
  const exitCode = r.exitCode ?? 0
  const code = r.code ?? (exitCode === 0 ? undefined : 'COMMAND_FAILED')
  return {
    ok: code === undefined,
    tier: r.tier ?? 1,
    operation,
    exitCode,
    stdout: r.stdout ?? (r.stdoutBytes ? new TextDecoder().decode(r.stdoutBytes) : ''),
    ...(r.stdoutBytes ? { stdoutBase64: bytesToBase64(r.stdoutBytes) } : {}),
    stderr: r.stderr ?? '',
    ...(code ? { error: { code, message: `${operation} failed`, retriable: ERROR_CODES[code].retriable } } : {}),
    duration: 0.5,
    executionId: 'exe_test',
    traceId: 'trace',
  }
}

/** Default stage behaviour: `echo` joins args, `upper` uppercases stdin, `fail N` exits N, `err` writes stderr. */
const defaultScript: Script = (operation, args, io) => {
  const text = new TextDecoder().decode(io.stdin)
  switch (operation) {
    case 'echo':
      return { stdout: `${args.join(' ')}\n` }
    case 'upper':
      return { stdout: text.toUpperCase() }
    case 'fail':
      return { exitCode: Number(args[0] ?? '1'), stderr: 'failing\n' }
    case 'err':
      return { stdout: 'out\n', stderr: 'err\n' }
    case 'printenv':
      return { stdout: args.map((name) => `${io.env[name] ?? '<unset>'}\n`).join('') }
    case 'pwd':
      return { stdout: `${io.cwd}\n` }
    case 'python3':
      return { tier: 4, stdout: `${text.length}\n` }
    default:
      return { stdout: text }
  }
}

async function run(line: string, options: { fs?: FileSystem; script?: Script; env?: Record<string, string>; cwd?: string; stdin?: string | Uint8Array; signal?: AbortSignal } = {}) {
  const calls: Call[] = []
  const fs = options.fs ?? freshFs()
  const script = options.script ?? defaultScript
  const result = await runCommandLine(line, {
    fs,
    cwd: options.cwd ?? '/',
    env: options.env ?? {},
    ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
    ...(options.signal ? { signal: options.signal } : {}),
    executionId: 'exe_line',
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    runStage: async (operation, args, io) => {
      calls.push({ operation, args, stdin: [...io.stdin], cwd: io.cwd, env: io.env })
      return reply(operation, script(operation, args, io))
    },
  })
  return { result, calls, fs }
}

const bytes = (text: string) => [...new TextEncoder().encode(text)]

describe('pipelines', () => {
  it('routes every stage by name and feeds each the previous stdout', async () => {
    const { result, calls } = await run('echo hello world | upper | python3')
    expect(calls.map((c) => [c.operation, c.args, c.stdin])).toEqual([
      ['echo', ['hello', 'world'], []],
      ['upper', [], bytes('hello world\n')],
      ['python3', [], bytes('HELLO WORLD\n')],
    ])
    expect(result).toMatchObject({ ok: true, exitCode: 0, stdout: '12\n', tier: 4, operation: 'sh', executionId: 'exe_line', traceId: '0af7651916cd43dd8448eb211c80319c' })
    expect(result.stages?.map((s) => [s.operation, s.tier, s.exitCode])).toEqual([
      ['echo', 1, 0],
      ['upper', 1, 0],
      ['python3', 4, 0],
    ])
  })

  it('passes binary output between stages byte for byte', async () => {
    const binary = new Uint8Array([0xff, 0x00, 0x80, 0x0a, 0xc3])
    const { result, calls } = await run('produce | consume | consume', {
      script: (operation, _args, io) => (operation === 'produce' ? { stdoutBytes: binary } : { stdoutBytes: io.stdin }),
    })
    expect(calls[1]?.stdin).toEqual([...binary])
    expect(calls[2]?.stdin).toEqual([...binary])
    expect(result.stdoutBase64).toBe(bytesToBase64(binary))
  })

  it('reports the status of the last stage, and ! inverts it', async () => {
    expect((await run('fail 3 | echo ok')).result).toMatchObject({ ok: true, exitCode: 0, stdout: 'ok\n', stderr: 'failing\n' })
    expect((await run('echo ok | fail 4')).result).toMatchObject({ ok: false, exitCode: 4 })
    expect((await run('! fail 4')).result).toMatchObject({ ok: true, exitCode: 0 })
    expect((await run('! echo x')).result).toMatchObject({ ok: false, exitCode: 1 })
  })

  it('gives the shell stdin to the first stage that reads it, once', async () => {
    const { calls } = await run('upper; upper | upper', { stdin: 'in\n' })
    expect(calls.map((c) => c.stdin)).toEqual([bytes('in\n'), [], []])
  })
})

describe('lists', () => {
  it('short-circuits && and || and exposes $?', async () => {
    const { result, calls } = await run('fail 2 && echo skipped || echo status $?; echo last $?')
    expect(calls.map((c) => [c.operation, ...c.args])).toEqual([
      ['fail', '2'],
      ['echo', 'status', '2'],
      ['echo', 'last', '0'],
    ])
    expect(result).toMatchObject({ ok: true, stdout: 'status 2\nlast 0\n', stderr: 'failing\n' })
  })

  it('runs every ; item and ends with the last status and the failing stage code', async () => {
    const { result } = await run('echo a; fail 5; echo b; fail 6')
    expect(result).toMatchObject({ ok: false, exitCode: 6, stdout: 'a\nb\n', stderr: 'failing\nfailing\n' })
    expect(result.error?.code).toBe('COMMAND_FAILED')
    expect(result.error?.message).toBe('sh exited with status 6: failing')
  })

  it('keeps a stage error code other than COMMAND_FAILED when it decides the status', async () => {
    const { result } = await run('echo a | gcc x.c', {
      script: (operation) => (operation === 'gcc' ? { exitCode: 1, tier: 4, code: 'TIER_UNAVAILABLE', stderr: 'tier 4 is not available\n' } : { stdout: 'a\n' }),
    })
    expect(result.error).toMatchObject({ code: 'TIER_UNAVAILABLE', retriable: true })
    expect(result.tier).toBe(4)
  })

  it('stops the whole line when a stage times out', async () => {
    const { result, calls } = await run('echo a; slow; echo never', {
      script: (operation) => (operation === 'slow' ? { exitCode: 124, code: 'TIMEOUT' } : { stdout: 'a\n' }),
    })
    expect(calls.map((c) => c.operation)).toEqual(['echo', 'slow'])
    expect(result).toMatchObject({ ok: false, exitCode: 124, stdout: 'a\n' })
    expect(result.error?.code).toBe('TIMEOUT')
  })

  it('stops with CANCELLED when the caller aborts', async () => {
    const controller = new AbortController()
    const { result, calls } = await run('first; second', {
      signal: controller.signal,
      script: () => {
        controller.abort()
        return { stdout: 'x\n' }
      },
    })
    expect(calls.map((c) => c.operation)).toEqual(['first'])
    expect(result.error?.code).toBe('CANCELLED')
  })

  it('exit ends the list with its status', async () => {
    const { result, calls } = await run('echo a; exit 3; echo b')
    expect(calls.map((c) => c.operation)).toEqual(['echo'])
    expect(result).toMatchObject({ exitCode: 3, stdout: 'a\n' })
  })
})

describe('redirections over fsx', () => {
  it('> truncates before the stage runs, >> appends, < reads', async () => {
    const fs = freshFs()
    await fs.write('/b', 'old contents\n')
    const { result, calls } = await run('echo one > /b && echo two >> /b; cat < /b', { fs })
    expect(await fs.readText('/b')).toBe('one\ntwo\n')
    expect(calls[2]).toMatchObject({ operation: 'cat', args: [], stdin: bytes('one\ntwo\n') })
    expect(result.stdout).toBe('one\ntwo\n')
  })

  it('sends 2> to a file and 2>&1 into the pipe, in order', async () => {
    const fs = freshFs()
    const { result, calls } = await run('err 2>/e.txt; err 2>&1 | upper', { fs })
    expect(await fs.readText('/e.txt')).toBe('err\n')
    expect(calls[2]?.stdin).toEqual(bytes('out\nerr\n'))
    expect(result).toMatchObject({ stdout: 'out\nOUT\nERR\n', stderr: '' })
  })

  it('applies redirections left to right: 2>&1 >f keeps stderr on the terminal', async () => {
    const fs = freshFs()
    const { result } = await run('err 2>&1 >/f.txt', { fs })
    expect(await fs.readText('/f.txt')).toBe('out\n')
    expect(result).toMatchObject({ stdout: 'err\n', stderr: '' })
  })

  it('&> sends both streams to one file, /dev/null discards', async () => {
    const fs = freshFs()
    const { result } = await run('err &> /both; err >/dev/null 2>/dev/null', { fs })
    expect(await fs.readText('/both')).toBe('out\nerr\n')
    expect(result).toMatchObject({ stdout: '', stderr: '' })
  })

  it('fails the command without running it when a redirection cannot be opened', async () => {
    const { result, calls } = await run('upper < /nope; echo status $?')
    expect(calls.map((c) => c.operation)).toEqual(['echo'])
    expect(result).toMatchObject({ stdout: 'status 1\n', stderr: 'sh: /nope: No such file or directory\n' })
  })

  it('resolves relative targets against the cwd and refuses paths leaving the root', async () => {
    const fs = freshFs()
    await fs.mkdir('/work')
    const { result } = await run('echo hi > out.txt; echo x > ../../escape', { fs, cwd: '/work' })
    expect(await fs.readText('/work/out.txt')).toBe('hi\n')
    expect(result.stderr).toBe('sh: ../../escape: Permission denied\n')
  })

  it('refuses an ambiguous redirect target', async () => {
    const { result } = await run('echo x > $FILES', { env: { FILES: 'a b' } })
    expect(result).toMatchObject({ exitCode: 1, stderr: 'sh: a b: ambiguous redirect\n' })
  })
})

describe('expansion', () => {
  it('expands variables from env, splitting unquoted ones into fields', async () => {
    const { calls } = await run('echo $A "$A" ${B}x "$EMPTY" $EMPTY end', { env: { A: 'one  two', B: 'b' } })
    expect(calls[0]?.args).toEqual(['one', 'two', 'one  two', 'bx', '', 'end'])
  })

  it('keeps prefix assignments to their command and bare ones for the rest of the line', async () => {
    const { calls } = await run('X=1 printenv X Y; Y=2; printenv X Y', { env: { Y: 'env' } })
    expect(calls.map((c) => c.args.map((name) => c.env[name] ?? '<unset>'))).toEqual([
      ['1', 'env'],
      ['<unset>', '2'],
    ])
  })

  it('expands globs through fsx, relative to the cwd, and leaves a pattern without matches as written', async () => {
    const fs = freshFs()
    for (const name of ['/w/b.txt', '/w/a.txt', '/w/.hidden.txt', '/w/c.md']) await fs.write(name, '', { parents: true })
    const { calls } = await run("echo *.txt; echo /w/*.md '*.txt' nomatch*", { fs, cwd: '/w' })
    expect(calls.map((c) => c.args)).toEqual([
      ['a.txt', 'b.txt'],
      ['/w/c.md', '*.txt', 'nomatch*'],
    ])
  })

  it('expands a leading ~ to $HOME', async () => {
    const { calls } = await run('echo ~ ~/x a~', { env: { HOME: '/home/agent' } })
    expect(calls[0]?.args).toEqual(['/home/agent', '/home/agent/x', 'a~'])
  })
})

describe('builtins', () => {
  it('cd changes the cwd of later stages; in a pipeline it does not last', async () => {
    const fs = freshFs()
    await fs.mkdir('/a/b', { recursive: true })
    const { calls, result } = await run('cd /a && pwd; cd b | pwd; pwd; cd /missing', { fs })
    expect(calls.map((c) => c.cwd)).toEqual(['/a', '/a', '/a'])
    expect(result).toMatchObject({ exitCode: 1, stderr: 'sh: cd: /missing: No such file or directory\n' })
  })

  it('export sets variables for later stages', async () => {
    const { calls } = await run('export GREETING=hi; printenv GREETING')
    expect(calls[0]?.env.GREETING).toBe('hi')
  })
})

describe('malformed lines', () => {
  it('become a PARSE_ERROR result pointing at the column, without running anything', async () => {
    const { result, calls } = await run('echo "unterminated | wc')
    expect(calls).toEqual([])
    expect(result).toMatchObject({ ok: false, exitCode: 2, tier: 1, operation: 'sh' })
    expect(result.error).toMatchObject({
      code: 'PARSE_ERROR',
      retriable: false,
      details: { line: 1, column: 6, reason: 'unterminated double quote: add the closing "' },
    })
    expect(result.stderr).toBe('sh: syntax error at line 1, column 6: unterminated double quote: add the closing "\necho "unterminated | wc\n     ^\n')
  })
})
