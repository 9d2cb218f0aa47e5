/**
 * The routes `npm run bench` compares with (src/index.ts): served only on a
 * local fabric whose bench switched them on, and the durable-write floor
 * really writes before it answers.
 */
import { env } from 'cloudflare:workers'
import { createExecutionContext, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import worker from '../../src/index'
import { DEFAULT_RATE_LIMIT } from '../../src/api/rate-limit/rate-limiter-do'
import type { Env } from '../../src/env'

function get(path: string, overrides: Partial<Env>): Promise<Response> {
  return Promise.resolve(worker.fetch(new Request(`http://fabric.test${path}`), { ...env, ...overrides }, createExecutionContext()))
}

/** A refusal's status and error code (its message names the path). */
async function refusal(response: Response): Promise<{ status: number; code: string }> {
  return { status: response.status, code: ((await response.json()) as { error: { code: string } }).error.code }
}

/** What the floor's rate limiter has stored (undefined: nothing was written). */
function storedFloorLimits(): Promise<unknown> {
  const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(' bench floor'))
  return runInDurableObject(stub, (_instance, state) => state.storage.kv.get('rate-limit-config'))
}

describe('bench routes', () => {
  it('are ordinary unknown routes unless the bench switched them on, locally', async () => {
    for (const overrides of [{ BENCH_BARE_ROUTE: undefined }, { BENCH_BARE_ROUTE: 'on', FABRIC_ENV: 'production' }]) {
      const expected = await refusal(await get('/__bench/unknown', overrides))
      expect(expected.status).toBeGreaterThanOrEqual(400)
      for (const path of ['/__bench/hello', '/__bench/durable-write']) expect(await refusal(await get(path, overrides))).toEqual(expected)
    }
    expect(await storedFloorLimits()).toBeUndefined()
  })

  it('answer hello, and answer the durable write once it is stored', async () => {
    const on = { BENCH_BARE_ROUTE: 'on', FABRIC_ENV: 'local' }
    const hello = await get('/__bench/hello', on)
    expect([hello.status, await hello.text()]).toEqual([200, 'hello'])
    const written = await get('/__bench/durable-write', on)
    expect([written.status, await written.text()]).toEqual([200, 'written'])
    expect(await storedFloorLimits()).toEqual(DEFAULT_RATE_LIMIT)
  })
})
