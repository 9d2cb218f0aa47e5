/**
 * How modules meet the Worker Loader: the isolate id is the code's sha-256
 * plus a digest of the rules baked into the isolate, the code is fetched only
 * for a cold isolate, and a module's limits reach the loader on every call.
 * A thin recorder around the real LOADER binding observes this.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { freshTenant } from '../rpc/exec-call'
import { DOUBLE_SOURCE, run, upload } from './modules'

interface LoaderLog {
  ids: string[]
  coldStarts: number
  entrypointOptions: (WorkerStubEntrypointOptions | undefined)[]
}

function recordingLoader(loader: WorkerLoader, log: LoaderLog): WorkerLoader {
  return {
    get(id, getCode) {
      log.ids.push(String(id))
      const stub = loader.get(id, async () => {
        log.coldStarts += 1
        return getCode()
      })
      return {
        getEntrypoint(name, options) {
          log.entrypointOptions.push(options)
          return stub.getEntrypoint(name, options)
        },
        getDurableObjectClass: (name, options) => stub.getDurableObjectClass(name, options),
      }
    },
    load: (code) => loader.load(code),
  }
}

function recorded(): { log: LoaderLog; bindings: typeof env } {
  const log: LoaderLog = { ids: [], coldStarts: 0, entrypointOptions: [] }
  return { log, bindings: { ...env, LOADER: recordingLoader(env.LOADER!, log) } }
}

describe('tier 3: isolates', () => {
  it('names the isolate after the code hash, and reads the code only for a cold isolate', async () => {
    const tenantId = freshTenant()
    const module = await upload(tenantId, { name: 'double', source: DOUBLE_SOURCE })
    const { log, bindings } = recorded()
    expect((await run(tenantId, 'double', [1], {}, { bindings })).value).toEqual([2])
    expect((await run(tenantId, 'double', [2], {}, { bindings })).value).toEqual([4])
    expect(log.ids).toHaveLength(2)
    expect(log.ids[0]).toMatch(new RegExp(`^${module.hash}:[0-9a-f]{16}$`))
    expect(log.ids[1]).toBe(log.ids[0])
    expect(log.coldStarts).toBe(1)
  })

  it('gives the same code a different isolate under other rules: another tenant, or another egress list', async () => {
    const [a, b] = [freshTenant(), freshTenant()]
    await upload(a, { name: 'double', source: DOUBLE_SOURCE })
    await upload(b, { name: 'double', source: DOUBLE_SOURCE })
    await upload(b, { name: 'double-net', source: DOUBLE_SOURCE, egress: ['api.example.com'] })
    const { log, bindings } = recorded()
    await run(a, 'double', [1], {}, { bindings })
    await run(b, 'double', [1], {}, { bindings })
    await run(b, 'double-net', [1], {}, { bindings })
    const [hashes, rules] = [new Set(log.ids.map((id) => id.split(':')[0])), new Set(log.ids.map((id) => id.split(':')[1]))]
    expect(hashes.size).toBe(1)
    expect(rules.size).toBe(3)
  })

  it("passes the module's cpuMs and subRequests limits with every call (production enforces them; local workerd does not)", async () => {
    const tenantId = freshTenant()
    await upload(tenantId, { name: 'limited', source: DOUBLE_SOURCE, limits: { cpuMs: 25, subRequests: 2, wallMs: 5000 } })
    await upload(tenantId, { name: 'unlimited', source: DOUBLE_SOURCE })
    const { log, bindings } = recorded()
    await run(tenantId, 'limited', [1], {}, { bindings })
    await run(tenantId, 'unlimited', [1], {}, { bindings })
    expect(log.entrypointOptions).toEqual([{ limits: { cpuMs: 25, subRequests: 2 } }, undefined])
  })
})
