/**
 * sandboxd as a service: the secret, the isolation levels it honours, and its
 * refusal to run anything unisolated when bubblewrap is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../sandboxd/config'
import { probeHostTools } from '../../sandboxd/isolation/host-tools'
import type { ExecResponse } from '../../sandboxd/protocol'
import { startTestSandboxd, TEST_SECRET, type TestSandboxd } from './helpers'

describe('configuration', () => {
  it('refuses to start without a secret, or with a short one', () => {
    expect(() => loadConfig({})).toThrow(ConfigError)
    expect(() => loadConfig({})).toThrow('SANDBOXD_SECRET is not set: put a random string of 16+ characters in .dev.vars')
    expect(() => loadConfig({ SANDBOXD_SECRET: 'short' })).toThrow('SANDBOXD_SECRET must be at least 16 characters')
  })

  it('defaults to port 8788 and the .sandboxd state dir under the working directory', () => {
    expect(loadConfig({ SANDBOXD_SECRET: TEST_SECRET }, '/srv/fabric')).toEqual({
      secret: TEST_SECRET,
      host: '127.0.0.1',
      port: 8788,
      stateDir: '/srv/fabric/.sandboxd',
      sandboxUid: 65534,
      allowUnisolated: false,
      maxFileBytes: 100 * 1024 * 1024,
      // No internal host is reachable through egress unless the operator names it (SANDBOXD_EGRESS_ALLOW_INTERNAL).
      egressAllowInternal: new Set(),
      // An agent's warm sandbox is reaped after 10 minutes without a run.
      warmIdleMs: 600_000,
      compiler: 'cc',
    })
  })
})

describe('a running sandboxd', () => {
  let sandboxd: TestSandboxd
  beforeAll(async () => {
    sandboxd = await startTestSandboxd()
  })
  afterAll(async () => {
    await sandboxd.close()
  })

  it('answers 401 without the bearer secret, or with a wrong one', async () => {
    for (const authorization of [undefined, 'Bearer wrong-secret-0123456789', `Basic ${TEST_SECRET}`]) {
      const response = await fetch(`${sandboxd.url}/v1/health`, authorization ? { headers: { authorization } } : {})
      expect(response.status).toBe(401)
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED')
    }
  })

  it('reports its health: bubblewrap, and the levels it runs', async () => {
    const health = (await (await sandboxd.call('/v1/health')).json()) as Record<string, unknown>
    expect(health).toMatchObject({ ok: true, levels: ['process', 'container'], bubblewrap: { available: true, problem: null } })
  })

  it("refuses level 'none' unless sandboxd was started to allow it", async () => {
    const response = await sandboxd.call('/v1/sandboxes/t1/unisolated/exec', {
      method: 'POST',
      body: JSON.stringify({ argv: ['id', '-u'], isolation: { level: 'none' } }),
    })
    // EACCES is 400 everywhere: one registry (types/errors.ts) gives sandboxd and the fabric the same status.
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'EACCES',
      message: expect.stringContaining('SANDBOXD_ALLOW_UNISOLATED=1'),
    })
  })

  it("allows nested user namespaces at level 'process' but not at 'container'", async () => {
    const run = (level: string) =>
      sandboxd.post<ExecResponse>(`/v1/sandboxes/t1/${level}/exec`, { argv: ['unshare', '-U', 'true'], isolation: { level } })
    expect((await run('process')).exitCode).toBe(0)
    const container = await run('container')
    expect(container.exitCode).toBe(1)
    expect(container.stderr).toContain('unshare failed')
  })

  it('echoes the traceparent it was given', async () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
    const response = await sandboxd.call('/v1/health', { headers: { traceparent } })
    expect(response.headers.get('traceparent')).toBe(traceparent)
  })

  it('names unknown routes and refuses bodies that do not parse', async () => {
    expect((await sandboxd.call('/v1/nope')).status).toBe(404)
    const both = await sandboxd.call('/v1/sandboxes/t1/a/exec', { method: 'POST', body: JSON.stringify({ argv: ['x'], command: 'x' }) })
    expect(both.status).toBe(400)
    expect(((await both.json()) as { error: { message: string } }).error.message).toBe(
      'invalid request: give exactly one of "argv" (run directly) or "command" (run with /bin/sh -c)',
    )
    const badName = await sandboxd.call('/v1/sandboxes/t1/..%2Fx/exec', { method: 'POST', body: '{"argv":["x"]}' })
    expect(badName.status).toBe(400)
  })
})

describe('without bubblewrap', () => {
  let sandboxd: TestSandboxd
  beforeAll(async () => {
    sandboxd = await startTestSandboxd({ SANDBOXD_ALLOW_UNISOLATED: '1' }, { tools: { ...probeHostTools(), bwrap: null } })
  })
  afterAll(async () => {
    await sandboxd.close()
  })

  it('refuses process and container levels and says how to install it', async () => {
    const health = (await (await sandboxd.call('/v1/health')).json()) as Record<string, unknown>
    expect(health).toMatchObject({
      levels: ['none'],
      bubblewrap: { available: false, version: null, problem: 'missing bubblewrap: apt-get install -y bubblewrap' },
    })
    for (const level of ['process', 'container']) {
      const response = await sandboxd.call(`/v1/sandboxes/t1/${level}/exec`, {
        method: 'POST',
        body: JSON.stringify({ argv: ['id', '-u'], isolation: { level } }),
      })
      expect(response.status).toBe(503)
      expect(await response.json()).toEqual({
        error: {
          code: 'TIER_UNAVAILABLE',
          message: `isolation level '${level}' needs bubblewrap, which this host lacks: apt-get install -y bubblewrap`,
          details: { missing: ['bubblewrap'] },
        },
      })
    }
  })

  it("still runs level 'none' when explicitly allowed: the host's view, as the unprivileged uid", async () => {
    const result = await sandboxd.post<ExecResponse>('/v1/sandboxes/t1/plain/exec', {
      command: 'id -u; pwd; cat /etc/shadow',
      isolation: { level: 'none' },
    })
    expect(result.level).toBe('none')
    expect(result.stdout).toBe(`65534\n${sandboxd.stateDir}/work/t1/plain\n`)
    expect(result.stderr).toBe('cat: /etc/shadow: Permission denied\n')
  })
})
