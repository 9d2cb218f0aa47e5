/**
 * The JavaScript the fabric puts next to a module inside its isolate: the
 * main module `fabric-runner.js` exports `ModuleRunner`, whose `run(request,
 * fs)` builds the ModuleContext, calls the module, and returns a plain
 * outcome (the value as JSON text, or the error, plus log lines); `check()`
 * reports why the code could never run (used at upload). This is source text the Worker Loader
 * evaluates, not code of the fabric's own bundle.
 */
import type { ESMModule } from '../../../types/execution'
import { ceilingBytes, METER_MODULE, meterSource } from './memory-meter'

export const RUNNER_MODULE = 'fabric-runner.js'
export const SUPPORT_MODULE = 'fabric-support.js'
export const ESM_MODULE = 'module.js'
export const WASM_MODULE = 'module.wasm'
export const RUNNER_ENTRYPOINT = 'ModuleRunner'

export const MAX_LOG_LINES = 1000
export const MAX_LOG_LINE_CHARS = 8192

/** Helpers both runners import: log formatting, error capture, and the JSON check on results. */
const SUPPORT_SOURCE = `
import { meterTripped, resetMeter, take } from './${METER_MODULE}'

export function describe(part) {
  if (typeof part === 'string') return part
  if (part instanceof Error) return part.stack || String(part)
  try {
    return JSON.stringify(part) ?? String(part)
  } catch {
    return String(part)
  }
}

export function errorInfo(error) {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack ?? '' }
  return { name: 'Error', message: describe(error), stack: '' }
}

/**
 * The result as JSON text (undefined stays undefined), or a TypeError saying
 * why it cannot be. Text, not the value, crosses back to the fabric, so
 * nothing the module returns can arrive there as a live RPC stub.
 */
export function jsonText(value) {
  if (value === undefined) return undefined
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? String(value) : JSON.stringify(value.toString())
  try {
    // structuredClone refuses functions and symbols, which JSON.stringify would silently drop.
    structuredClone(value)
    return JSON.stringify(value)
  } catch (error) {
    throw new TypeError('the module returned a value that cannot be serialized as JSON (' + (error && error.message) + '); return plain data: objects, arrays, strings, numbers, booleans or null')
  }
}

export function logger() {
  const lines = []
  let dropped = 0
  const log = (...parts) => {
    if (lines.length < ${MAX_LOG_LINES}) lines.push(parts.map(describe).join(' ').slice(0, ${MAX_LOG_LINE_CHARS}))
    else dropped += 1
  }
  const collected = () => (dropped > 0 ? [...lines, '[' + dropped + ' more log lines dropped]'] : lines)
  return { log, collected }
}

/** The call's outcome; its result text counts against the memory ceiling, and a refused allocation decides a failure. */
export function settle(collected, work) {
  resetMeter()
  const failed = (status, error) => ({ status: meterTripped() ? 'over_ceiling' : status, error: errorInfo(error), logs: collected() })
  return Promise.resolve()
    .then(work)
    .then(
      (value) => {
        let json
        try {
          json = jsonText(value)
        } catch (error) {
          return failed('unserializable', error)
        }
        try {
          if (json !== undefined) take(json.length)
        } catch (error) {
          return failed('threw', error)
        }
        return { status: 'returned', json, logs: collected() }
      },
      (error) => failed('threw', error),
    )
}

const counted = new WeakMap()

/** Counts what the exported memories of a WASM instance gained (at instantiation or grown inside WASM, where no JavaScript sees it). */
export function takeMemories(instance) {
  for (const value of Object.values(instance.exports)) {
    if (!(value instanceof WebAssembly.Memory)) continue
    const size = value.buffer.byteLength
    take(size - (counted.get(value) ?? 0))
    counted.set(value, size)
  }
}
`

const ESM_RUNNER_SOURCE = `
import { WorkerEntrypoint } from 'cloudflare:workers'
// Before the user's module, so its top-level code already runs under the memory meter.
import { logger, settle } from './${SUPPORT_MODULE}'
import * as userModule from './${ESM_MODULE}'

function runFunction() {
  const run = userModule.default?.run
  return typeof run === 'function' ? run.bind(userModule.default) : undefined
}

export class ${RUNNER_ENTRYPOINT} extends WorkerEntrypoint {
  check() {
    return runFunction() ? null : 'the default export has no run(ctx) function; export default { run(ctx) { ... } }'
  }

  run(request, fs) {
    const { log, collected } = logger()
    const ctx = Object.freeze({
      args: request.args,
      stdin: request.stdin,
      tenantId: request.tenantId,
      agentId: request.agentId,
      executionId: request.executionId,
      traceparent: request.traceparent,
      log,
      fs,
    })
    return settle(collected, () => {
      const run = runFunction()
      if (!run) throw new TypeError(this.check())
      return run(ctx)
    })
  }
}
`

function wasmRunnerSource(entry: string): string {
  const exportName = JSON.stringify(entry)
  return `
import { WorkerEntrypoint } from 'cloudflare:workers'
import wasm from './${WASM_MODULE}'
import { logger, settle, takeMemories } from './${SUPPORT_MODULE}'

export class ${RUNNER_ENTRYPOINT} extends WorkerEntrypoint {
  check() {
    const imports = WebAssembly.Module.imports(wasm)
    if (imports.length > 0) {
      return 'the module imports ' + imports.map((i) => i.module + '.' + i.name).join(', ') + '; only self-contained modules (no imports) are supported'
    }
    const exported = WebAssembly.Module.exports(wasm)
    if (!exported.some((e) => e.name === ${exportName} && e.kind === 'function')) {
      return 'the module exports no function ' + ${exportName} + ' (its function exports: ' + (exported.filter((e) => e.kind === 'function').map((e) => e.name).join(', ') || 'none') + ')'
    }
    return null
  }

  run(request) {
    const { collected } = logger()
    return settle(collected, async () => {
      const instance = await WebAssembly.instantiate(wasm, {})
      takeMemories(instance)
      const value = instance.exports[${exportName}](...request.args)
      takeMemories(instance)
      return value
    })
  }
}
`
}

/** The modules of a module's isolate: the runner, its helpers, and the code itself. */
export function isolateModules(module: Pick<ESMModule, 'kind' | 'entry' | 'limits'>, code: Uint8Array): Record<string, string | WorkerLoaderModule> {
  const common = { [SUPPORT_MODULE]: SUPPORT_SOURCE, [METER_MODULE]: meterSource(ceilingBytes(module.limits)) }
  if (module.kind === 'wasm') {
    return { [RUNNER_MODULE]: wasmRunnerSource(module.entry ?? ''), ...common, [WASM_MODULE]: { wasm: code } }
  }
  return { [RUNNER_MODULE]: ESM_RUNNER_SOURCE, ...common, [ESM_MODULE]: new TextDecoder().decode(code) }
}
