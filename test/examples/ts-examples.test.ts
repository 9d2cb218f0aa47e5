/**
 * Every ```ts example of README.md and docs/*.md runs as written, inside
 * workerd against the fabric's real bindings (scripts/docs-ts-examples.mjs
 * turns each block into a function). A block gets the names it uses without
 * defining them from the context below: the README's service binding is
 * env.FABRIC, a real binding to this Worker's FabricEntrypoint; the "from
 * code" examples get a tenant's fsx, an ExecCall, the executor. The files an
 * example reads before it writes them are seeded first.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { examples } from 'virtual:docs-ts-examples'
import { createFileSystem, tenantRoot } from '../../src/execution/fsx/index'
import { createExecute, resolveOptions } from '../../src/execution/index'
import { DEV_TOKEN } from '../helpers/http'

const TENANT = 'dev'

/** Sessions the examples opened: a caller disposes its RPC stubs (the examples end without doing so). */
const opened: Disposable[] = []

function context() {
  const fs = createFileSystem('r2', { root: tenantRoot(TENANT), bindings: env })
  const body = new TextEncoder().encode('bytes of an upload')
  const FABRIC = {
    openSession: async (token: string) => {
      const session = await env.FABRIC.openSession(token)
      opened.push(session)
      return session
    },
  }
  return {
    env: { ...env, FABRIC },
    ctx: { waitUntil: (promise: Promise<unknown>) => void promise.catch(() => undefined) },
    token: DEV_TOKEN,
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    request: new Request('http://fabric.test/upload', { method: 'PUT', body, headers: { 'content-length': String(body.byteLength) } }),
    call: { operation: 'echo', args: ['hi'], options: resolveOptions({}, TENANT), fs, bindings: env },
    fs,
    execute: createExecute({ bindings: env, fs, tenantId: TENANT }),
    executionId: 'exe_docs_example',
    signal: new AbortController().signal,
    tenant_id: TENANT,
    agent_id: 'docs-agent',
    entity_id: 'docs-agent',
    seconds: 0.25,
  }
}

describe('the TypeScript examples of the README and docs', () => {
  // The pages, not the lines: an edit above a block moves it, and that is no reason to fail.
  it('finds the blocks of every page that has them', () => {
    expect(examples.map((example) => example.page)).toEqual(['README.md', 'docs/fsx.md', 'docs/native.md', 'docs/telemetry-security.md'])
  })

  it.each(examples.map((example) => [`${example.page}:${example.line}`, example] as const))('%s runs as written', async (_, example) => {
    const given = context()
    // What the examples read or remove without writing it first.
    await given.fs.write('/img.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47]))
    await given.fs.write('/a.txt', 'x one\ny\n')
    await given.fs.write('/dir/inside.txt', 'x', { parents: true })
    await expect(example.run(given)).resolves.toBeUndefined()
    for (const session of opened.splice(0)) session[Symbol.dispose]()
  })
})
