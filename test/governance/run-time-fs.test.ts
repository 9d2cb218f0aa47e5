/**
 * `fs:` policy at run time: paths a command only reaches once it runs (glob
 * expansion, find, a tier-3 module's ctx.fs) are checked with the tenant's
 * real D1 policies, and so are /v1/fs requests.
 */
import { describe, expect, it } from 'vitest'
import { call } from '../helpers/http'
import { newTenant, type TenantClient } from '../helpers/tenants'

interface ExecBody {
  ok: boolean
  exitCode: number
  stdout: string
  stderr: string
  tier: number
  result?: unknown
}

interface ErrorBody {
  error: { code: string; message: string }
}

async function put(t: TenantClient, path: string, text: string): Promise<void> {
  const response = await call('PUT', `/v1/fs${path}?backend=r2`, { token: t.token, rawBody: text })
  expect(response.status, await response.clone().text()).toBe(201)
}

async function exec(t: TenantClient, body: Record<string, unknown>): Promise<ExecBody> {
  const response = await t.json<ExecBody>('POST', '/v1/exec', body)
  expect(response.status).toBe(200)
  return response.body
}

async function denyTenantWide(t: TenantClient, id: string, patterns: string[]): Promise<void> {
  const response = await t.json('PUT', `/v1/policies/${id}`, { rules: patterns.map((actionPattern) => ({ actionPattern, effect: 'deny' })) })
  expect(response.status).toBe(201)
}

/**
 * Joins its path at run time (acceptance only sees the parts), and returns
 * what it read or the error it got, so the test sees exactly what the module saw.
 */
const READER_MODULE = `export default {
  async run(ctx) {
    try {
      return await ctx.fs.read(ctx.args[0] + '/' + ctx.args[1])
    } catch (error) {
      return 'refused: ' + error.message
    }
  },
}`

describe('fs: policy enforced at run time', () => {
  it('a glob that expands into a denied directory is refused like GNU cat; other files still read', async () => {
    const t = await newTenant()
    await put(t, '/secrets/passwd', 'root:x:0:0\n')
    await put(t, '/other/x', 'fine\n')
    await denyTenantWide(t, 'no-secrets', ['fs:read:/secrets/*'])

    const globbed = await exec(t, { command: 'cat /*/passwd' })
    expect(globbed).toMatchObject({ ok: false, exitCode: 1, stdout: '', stderr: 'cat: /secrets/passwd: Permission denied\n' })
    const other = await exec(t, { command: 'cat /other/x' })
    expect(other).toMatchObject({ ok: true, exitCode: 0, stdout: 'fine\n', stderr: '' })
  })

  it('find lists names of a readable directory but cannot descend into a denied one', async () => {
    const t = await newTenant()
    await put(t, '/secret/key', 'k\n')
    await put(t, '/pub/a', 'a\n')
    await denyTenantWide(t, 'no-secret', ['fs:read:/secret', 'fs:read:/secret/*'])

    const found = await exec(t, { command: 'find /' })
    expect(found.stdout).toBe('/\n/pub\n/pub/a\n/secret\n')
    expect(found.stderr).toBe('find: \u2018/secret\u2019: Permission denied\n')
    expect(found.exitCode).toBe(1)
  })

  it('a write into a write-denied directory fails and leaves no file, whether the path is known at acceptance or only at run time', async () => {
    const t = await newTenant()
    await denyTenantWide(t, 'ro', ['fs:write:/ro/*'])

    const literal = await t.json<ErrorBody>('POST', '/v1/exec', { command: 'echo x > /ro/a' })
    expect([literal.status, literal.body.error.code]).toEqual([403, 'POLICY_DENIED'])
    const computed = await exec(t, { command: 'f=/ro/a; echo x > $f' })
    expect(computed).toMatchObject({ ok: false, exitCode: 1, stdout: '', stderr: 'bash: /ro/a: Permission denied\n' })
    const copied = await exec(t, { command: 'mkdir /ro; echo y > /in; cp /in /ro/' })
    expect(copied).toMatchObject({ ok: false, exitCode: 1, stderr: "cp: cannot create regular file '/ro/in': Permission denied\n" })
    const left = await t.json<{ entries: Array<{ name: string }> }>('GET', '/v1/fs/ro?backend=r2')
    expect(left.body.entries).toEqual([])
  })

  it("a tier-3 module reading a denied path through ctx.fs gets EACCES; an allowed one reads", async () => {
    const t = await newTenant()
    await put(t, '/secrets/passwd', 'root\n')
    await put(t, '/other/x', 'fine\n')
    const name = `reader-${crypto.randomUUID().slice(0, 8)}`
    expect((await t.call('POST', '/v1/modules', { name, source: READER_MODULE })).status).toBe(201)
    await denyTenantWide(t, 'no-secrets', ['fs:read:/secrets/*'])

    const denied = await exec(t, { operation: name, args: ['/secrets', 'passwd'] })
    expect(denied.tier).toBe(3)
    expect(denied.stdout).toBe(
      `refused: EACCES: Permission denied: '/secrets/passwd' (policy denies fs:read:/secrets/passwd at run time: rule 0 of policy no-secrets (tenant, priority 0) matched "fs:read:/secrets/*")`,
    )
    const allowed = await exec(t, { operation: name, args: ['/other', 'x'] })
    expect([allowed.tier, allowed.stdout]).toEqual([3, 'fine\n'])
  })

  it('GET /v1/fs of a denied path is refused with EACCES naming the rule; allowed paths are served', async () => {
    const t = await newTenant()
    await put(t, '/secrets/passwd', 'root\n')
    await denyTenantWide(t, 'no-secrets', ['fs:read:/secrets/*'])

    const refused = await t.json<ErrorBody>('GET', '/v1/fs/secrets/passwd?backend=r2')
    expect(refused.status).toBe(400)
    expect(refused.body.error.code).toBe('EACCES')
    expect(refused.body.error.message).toContain('fs:read:/secrets/passwd')
    expect(refused.body.error.message).toContain('policy no-secrets')
    const listing = await t.json<{ entries: Array<{ name: string }> }>('GET', '/v1/fs/secrets?backend=r2')
    expect(listing.body.entries.map((entry) => entry.name)).toEqual(['passwd'])
    const overwrite = await call('PUT', '/v1/fs/secrets/passwd?backend=r2', { token: t.token, rawBody: 'replaced' })
    expect(overwrite.status).toBe(201)
  })

  it('without a policy, behaviour is unchanged (the local default is allow)', async () => {
    const t = await newTenant()
    await put(t, '/secrets/passwd', 'root\n')
    expect(await exec(t, { command: 'cat /*/passwd' })).toMatchObject({ ok: true, stdout: 'root\n', stderr: '' })
    const read = await t.call('GET', '/v1/fs/secrets/passwd?backend=r2')
    expect([read.status, await read.text()]).toEqual([200, 'root\n'])
  })
})
