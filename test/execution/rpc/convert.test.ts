/** `convert` on tier 2: its command line, stdin or an fsx file, and usage errors. */
import { describe, expect, it } from 'vitest'
import { rpcExecutor } from '../../../src/execution/rpc/index'
import { execCall, freshTenant, memoryFs } from './exec-call'

describe('convert on tier 2', () => {
  it('converts stdin with --from/--to and -c', async () => {
    const result = await rpcExecutor.run(execCall('convert', ['--from', 'yaml', '--to=json', '-c'], { stdin: 'a: [1, 2]\n' }))
    expect(result).toMatchObject({ ok: true, tier: 2, exitCode: 0, stdout: '{"a":[1,2]}\n', stderr: '' })
  })

  it('reads a file through fsx with the short options', async () => {
    const tenantId = freshTenant()
    const fs = memoryFs(tenantId)
    await fs.write('/config.toml', 'port = 8080\n')
    const result = await rpcExecutor.run(execCall('convert', ['-f', 'toml', '-t', 'yaml', '/config.toml'], {}, { tenantId, fs }))
    expect(result).toMatchObject({ ok: true, stdout: 'port: 8080\n' })
  })

  it('reports a missing or unknown format as a usage error with status 2', async () => {
    const missing = await rpcExecutor.run(execCall('convert', ['--to', 'json'], { stdin: '{}' }))
    expect(missing).toMatchObject({ ok: false, exitCode: 2, stderr: 'convert: --from FORMAT is required (one of json, yaml, toml, csv, tsv)\n' })
    const unknown = await rpcExecutor.run(execCall('convert', ['-f', 'xml', '-t', 'json'], { stdin: '' }))
    expect(unknown).toMatchObject({ ok: false, exitCode: 2, stderr: "convert: unknown format 'xml' for --from; use one of json, yaml, toml, csv, tsv\n" })
  })

  it('passes the service\'s own failure through as COMMAND_FAILED with status 1', async () => {
    const result = await rpcExecutor.run(execCall('convert', ['-f', 'json', '-t', 'csv'], { stdin: '{"a":1}' }))
    expect(result).toMatchObject({ ok: false, exitCode: 1, stderr: 'convert: csv: the data must be an array of rows (objects or arrays)\n' })
    expect(result.error).toMatchObject({ code: 'COMMAND_FAILED', retriable: false })
  })
})
