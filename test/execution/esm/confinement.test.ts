/**
 * What a module's isolate can reach: its caller's files through the scoped
 * fs stub and nothing else — no other tenant's files, no bindings, and no
 * network unless it declared hosts, and then only those hosts.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { egressAllowed } from '../../../src/execution/esm/egress-gateway'
import { freshTenant, memoryFs } from '../rpc/exec-call'
import { run, tenantWith } from './modules'

const FILE_TOOL = `export default {
  async run(ctx) {
    const [op, path, data] = ctx.args
    try {
      if (op === 'read') return await ctx.fs.read(path)
      if (op === 'bytes') return Array.from(await ctx.fs.readBytes(path))
      if (op === 'write') return await ctx.fs.write(path, data)
      if (op === 'ls') return await ctx.fs.readdir(path)
      if (op === 'exists') return await ctx.fs.exists(path)
    } catch (error) {
      return 'refused: ' + error.message
    }
  },
}`

describe('tier 3: what a module can reach', () => {
  it("reads and writes the caller's files through ctx.fs, visible to fsx before and after", async () => {
    const tenantId = await tenantWith('files', FILE_TOOL)
    const fs = memoryFs(tenantId)
    await fs.mkdir('/in')
    await fs.write('/in/a.txt', 'from fsx')
    const setup = { fs }
    expect((await run(tenantId, 'files', ['read', '/in/a.txt'], {}, setup)).value).toBe('from fsx')
    expect((await run(tenantId, 'files', ['bytes', '/in/a.txt'], {}, setup)).value).toEqual([...new TextEncoder().encode('from fsx')])
    expect((await run(tenantId, 'files', ['write', '/in/b.txt', 'from the module'], {}, setup)).ok).toBe(true)
    expect(await fs.readText('/in/b.txt')).toBe('from the module')
    expect((await run(tenantId, 'files', ['ls', '/in'], {}, setup)).value).toEqual(['a.txt', 'b.txt'])
    expect((await run(tenantId, 'files', ['exists', '/in/c.txt'], {}, setup)).value).toBe(false)
  })

  it("cannot climb out of its tenant's root or name another tenant's files", async () => {
    const other = freshTenant()
    await memoryFs(other).write('/secret.txt', 'not yours')
    const tenantId = await tenantWith('files', FILE_TOOL)
    const escape = await run(tenantId, 'files', ['read', `/../${other}/secret.txt`])
    expect(escape.value).toMatch(/^refused: EACCES: Permission denied: .*'\.\.' would leave the root of this filesystem/)
    // The other tenant's path, as an absolute path, is simply a file this tenant does not have.
    const guess = await run(tenantId, 'files', ['read', `/tenants/${other}/secret.txt`])
    expect(guess.value).toMatch(/^refused: ENOENT: /)
  })

  it('refuses fs arguments of the wrong type from the module', async () => {
    const tenantId = await tenantWith('files', FILE_TOOL)
    const result = await run(tenantId, 'files', ['write', '/x.txt', { not: 'data' }])
    expect(result.value).toBe('refused: data must be a string or a Uint8Array')
  })

  it('sees no bindings: its env is empty and its ctx offers nothing but data, log and fs', async () => {
    const source = `import { env } from 'cloudflare:workers'
      export default { run: (ctx) => ({ env: Object.keys(env), ctx: Object.keys(ctx).sort() }) }`
    const tenantId = await tenantWith('peek', source)
    expect((await run(tenantId, 'peek')).value).toEqual({
      env: [],
      ctx: ['agentId', 'args', 'executionId', 'fs', 'log', 'stdin', 'tenantId', 'traceparent'],
    })
  })

  it('gets no response from the network without an egress allow-list: its fetch throws', async () => {
    const source = "export default { async run(ctx) { const r = await fetch(ctx.args[0]); return { status: r.status, body: await r.text() } } }"
    const tenantId = await tenantWith('fetcher', source)
    const result = await run(tenantId, 'fetcher', ['http://127.0.0.1:8787/health'])
    expect(result).toMatchObject({ ok: false, tier: 3 })
    expect(result).not.toHaveProperty('value')
    expect(result.error?.code).toBe('MODULE_ERROR')
    expect(result.error?.message).toContain('not permitted to access the internet')
  })

  it('reaches only the declared hosts: the egress gateway refuses any other with 403', async () => {
    const source = `export default {
      async run(ctx) {
        const r = await fetch(ctx.args[0])
        return { status: r.status, refused: r.headers.get('x-fabric-egress'), body: await r.text() }
      },
    }`
    const tenantId = await tenantWith('fetcher', source, { egress: ['api.example.com'] })
    const result = await run(tenantId, 'fetcher', ['http://127.0.0.1:8787/health'])
    expect(result.value).toEqual({
      status: 403,
      refused: 'refused',
      body: "egress to 127.0.0.1:8787 is not allowed for module 'fetcher'; allowed: api.example.com\n",
    })
  })

  it('matches allow-list entries by host (any port) or host:port, over http(s) only', () => {
    const allow = ['api.example.com', 'db.example.com:8443']
    expect(egressAllowed(new URL('https://api.example.com/v1'), allow)).toBe(true)
    expect(egressAllowed(new URL('http://api.example.com:8080/'), allow)).toBe(true)
    expect(egressAllowed(new URL('https://db.example.com:8443/'), allow)).toBe(true)
    expect(egressAllowed(new URL('https://db.example.com/'), allow)).toBe(false)
    expect(egressAllowed(new URL('https://evil.example.com/'), allow)).toBe(false)
    expect(egressAllowed(new URL('https://api.example.com.evil.net/'), allow)).toBe(false)
    expect(egressAllowed(new URL('ftp://api.example.com/'), allow)).toBe(false)
  })

  it('never writes module code where a tenant filesystem can see it', async () => {
    const tenantId = await tenantWith('double', 'export default { run: () => 1 }')
    const listing = await env.FILES.list({ prefix: `tenants/${tenantId}` })
    expect(listing.objects).toEqual([])
  })
})
