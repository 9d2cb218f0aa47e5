import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { MAX_ENV_VARS } from '../../src/core/limits'
import { call, json } from '../helpers/http'
import type { ErrorBody } from '../helpers/tenants'

async function refusal(response: Response): Promise<[number, string]> {
  return [response.status, (await json<ErrorBody>(response)).error.code]
}

describe('request limits', () => {
  it('refuses a command line over 64 KiB with 413 LIMIT_EXCEEDED', async () => {
    const response = await call('POST', '/v1/exec', { body: { command: `echo ${'a'.repeat(65_536)}` } })
    expect(await refusal(response)).toEqual([413, 'LIMIT_EXCEEDED'])
  })

  it('refuses more than 10 000 args with 413 LIMIT_EXCEEDED', async () => {
    const response = await call('POST', '/v1/exec', { body: { operation: 'echo', args: new Array(10_001).fill('x') } })
    expect(await refusal(response)).toEqual([413, 'LIMIT_EXCEEDED'])
  })

  it('refuses too many environment variables with 413 LIMIT_EXCEEDED', async () => {
    const vars = Object.fromEntries(Array.from({ length: MAX_ENV_VARS + 1 }, (_, i) => [`V${i}`, 'x']))
    const response = await call('POST', '/v1/exec', { body: { command: 'echo hi', env: vars } })
    expect(await refusal(response)).toEqual([413, 'LIMIT_EXCEEDED'])
  })

  it('keeps wrong (not big) input a 400 VALIDATION_ERROR', async () => {
    const response = await call('POST', '/v1/exec', { body: { command: 'echo hi', env: { A: 1 } } })
    expect(await refusal(response)).toEqual([400, 'VALIDATION_ERROR'])
  })

  it('refuses a body over MAX_BODY_BYTES with 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await call('PUT', '/v1/fs/big.bin', {
      rawBody: new Uint8Array(Number(env.MAX_BODY_BYTES) + 1),
      headers: { 'content-type': 'application/octet-stream' },
    })
    expect(await refusal(response)).toEqual([413, 'PAYLOAD_TOO_LARGE'])
  })

  it('refuses a path component over 255 bytes with 400 EINVAL', async () => {
    const response = await call('PUT', `/v1/fs/${'n'.repeat(256)}.txt`, { rawBody: 'x', headers: { 'content-type': 'text/plain' } })
    expect(await refusal(response)).toEqual([400, 'EINVAL'])
  })
})
