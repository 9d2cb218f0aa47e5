/**
 * Tier 2 with the real jq service (services/jq, an auxiliary Worker bound as
 * SVC_JQ): output byte for byte as the jq CLI prints it, inputs from stdin or
 * fsx files, and jq's own failures as exit statuses.
 */
import { describe, expect, it } from 'vitest'
import { rpcExecutor } from '../../../src/execution/rpc/index'
import { execCall, freshTenant, memoryFs } from './exec-call'

const jq = (args: string[], stdin?: string) => rpcExecutor.run(execCall('jq', args, stdin === undefined ? {} : { stdin }))

describe('jq on tier 2', () => {
  it('answers the pipeline stage of `echo \'{"a":[1,2,3]}\' | jq \'.a | length\'` with 3', async () => {
    const result = await jq(['.a | length'], '{"a":[1,2,3]}\n')
    expect(result).toMatchObject({ ok: true, tier: 2, operation: 'jq', exitCode: 0, stdout: '3\n', stderr: '' })
    expect(result.error).toBeUndefined()
  })

  it('pretty-prints by default, and -c, -r, -j, -S, --tab and --indent change the output as in the CLI', async () => {
    const input = '{"b":[1,{"c":"x"}],"a":"é"}'
    expect((await jq(['.'], input)).stdout).toBe('{\n  "b": [\n    1,\n    {\n      "c": "x"\n    }\n  ],\n  "a": "é"\n}\n')
    expect((await jq(['-c', '.'], input)).stdout).toBe('{"b":[1,{"c":"x"}],"a":"é"}\n')
    expect((await jq(['-cS', '.'], input)).stdout).toBe('{"a":"é","b":[1,{"c":"x"}]}\n')
    expect((await jq(['-r', '.a, .b[1].c'], input)).stdout).toBe('é\nx\n')
    expect((await jq(['-j', '.a, .b[1].c'], input)).stdout).toBe('éx')
    expect((await jq(['--tab', '.b'], input)).stdout).toBe('[\n\t1,\n\t{\n\t\t"c": "x"\n\t}\n]\n')
    expect((await jq(['--indent', '1', '.b[1]'], input)).stdout).toBe('{\n "c": "x"\n}\n')
    expect((await jq(['-a', '-c', '.a'], input)).stdout).toBe('"\\u00e9"\n')
  })

  it('passes --arg and --argjson, slurps with -s and ignores input with -n', async () => {
    expect((await jq(['-n', '-c', '--arg', 'who', 'world', '--argjson', 'n', '{"k":[2]}', '[$who, $n.k[0]]'])).stdout).toBe('["world",2]\n')
    expect((await jq(['-s', '-c', 'add'], '1 2 3')).stdout).toBe('6\n')
    expect((await jq(['-R', '-c', '.'], 'plain text\n')).stdout).toBe('"plain text"\n')
  })

  it('reads named files through the caller\'s fsx, relative to cwd, as one stream', async () => {
    const tenantId = freshTenant()
    const fs = memoryFs(tenantId)
    await fs.mkdir('/data')
    await fs.write('/data/a.json', '{"x":1}\n')
    await fs.write('/data/b.json', '{"x":2}\n')
    const result = await rpcExecutor.run(execCall('jq', ['-c', '.x', 'a.json', '/data/b.json'], { cwd: '/data' }, { tenantId, fs }))
    expect(result).toMatchObject({ ok: true, stdout: '1\n2\n', exitCode: 0 })
  })

  it('reports a syntax error in the filter as jq does: exit status 3 and its message, not retriable', async () => {
    const result = await jq(['.a |||'], '{}')
    expect(result).toMatchObject({ ok: false, tier: 2, exitCode: 3, stdout: '' })
    expect(result.stderr).toContain("jq: error: syntax error, unexpected '|'")
    expect(result.stderr).toContain('jq: 1 compile error')
    expect(result.error).toMatchObject({ code: 'COMMAND_FAILED', retriable: false })
  })

  it('reports a runtime error with exit status 5 and invalid JSON input likewise', async () => {
    const typeError = await jq(['.a.b'], '{"a":5}')
    expect(typeError).toMatchObject({ ok: false, exitCode: 5, stderr: 'jq: error (at inputString:0): Cannot index number with string "b"\n' })
    const badInput = await jq(['.'], 'not json')
    expect(badInput).toMatchObject({ ok: false, exitCode: 5, stderr: 'jq: parse error: Invalid numeric literal at line 1, column 4\n' })
  })

  it('fails a missing input file with status 2 and the path', async () => {
    const result = await jq(['.', '/nope.json'])
    expect(result).toMatchObject({ ok: false, exitCode: 2, stderr: "jq: error: Could not open /nope.json: No such file or directory\n" })
    expect(result.error?.code).toBe('COMMAND_FAILED')
  })

  it('refuses an option the service does not offer as retriable NOT_SUPPORTED (tier 4 runs the real jq)', async () => {
    const result = await jq(['-e', '.'], '{}')
    expect(result).toMatchObject({ ok: false, tier: 2 })
    expect(result.error).toMatchObject({ code: 'NOT_SUPPORTED', retriable: true })
    expect(result.error?.message).toContain("option '-e'")
  })

  it('needs a filter: a usage error with status 2', async () => {
    const result = await jq([], '{}')
    expect(result).toMatchObject({ ok: false, exitCode: 2, stderr: 'jq: no filter given; usage: jq [options] filter [files...]\n' })
  })
})
