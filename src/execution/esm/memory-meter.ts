/**
 * The per-call memory ceiling of a tier-3 module, as far as JavaScript can see it.
 *
 * The Worker Loader offers no memory limit (`workerdResourceLimits` has cpuMs and
 * subRequests only), and local workerd enforces none: a module allocating 64 ×
 * 256 MiB got 16 GiB. In production Cloudflare ends an isolate that goes over
 * 128 MB. So the runner counts what it can see: every ArrayBuffer,
 * SharedArrayBuffer, typed array, resizable buffer's maximum, transfer() and
 * WebAssembly.Memory (initial pages and grow()) allocated in the isolate since
 * the call began; an allocation that would take the total over the ceiling
 * throws `MemoryCeilingExceeded` before any memory is taken, and the call
 * answers RESOURCE_EXHAUSTED. The result's JSON text counts too. Plain arrays,
 * objects and strings live on the V8 heap where JavaScript cannot meter them;
 * locally the dev script's watchdog restarts the module host when its resident
 * memory goes over MODULE_HOST_MAX_RSS_MB (docs/tiers-2-3.md).
 *
 * This module is the source text of `fabric-meter.js`, which the runner
 * imports before the user's module, so the user's top-level code already runs
 * under the meter. Calls that overlap in one warm isolate share the counter,
 * which errs on the side of refusing.
 */
export const METER_MODULE = 'fabric-meter.js'

/** Production's per-isolate memory limit, and the most a module may ask for. */
export const MAX_MODULE_MEMORY_MB = 128

/** The error name the runner reports when the meter refused an allocation. */
export const OVER_CEILING_ERROR = 'MemoryCeilingExceeded'

export function meterSource(ceilingBytes: number): string {
  return `
const CEILING = ${ceilingBytes}
let used = 0
let tripped = false

export class ${OVER_CEILING_ERROR} extends RangeError {
  constructor(asked) {
    super('allocating ' + asked + ' bytes would take this call over its memory ceiling of ' + CEILING + ' bytes (' + used + ' already allocated); allocate less, or stream the data through ctx.fs')
    this.name = '${OVER_CEILING_ERROR}'
  }
}

/** Starts a call's count. */
export function resetMeter() {
  used = 0
  tripped = false
}

/** Whether an allocation was refused during this call (the module may have caught the error). */
export function meterTripped() {
  return tripped
}

export function take(bytes) {
  const asked = Math.max(0, Number(bytes) || 0)
  if (used + asked > CEILING) {
    tripped = true
    throw new ${OVER_CEILING_ERROR}(asked)
  }
  used += asked
}

function install(name, bytesOf) {
  const Original = globalThis[name]
  if (typeof Original !== 'function') return
  const Metered = new Proxy(Original, {
    construct(target, args, newTarget) {
      take(bytesOf(args, target))
      return Reflect.construct(target, args, newTarget)
    },
  })
  // x.constructor and Reflect.getPrototypeOf(...).constructor lead back to the metered one.
  Object.defineProperty(Original.prototype, 'constructor', { value: Metered, writable: false, configurable: false })
  Object.defineProperty(globalThis, name, { value: Metered, writable: false, configurable: false })
}

const bufferBytes = (args) => Math.max(Number(args[0]) || 0, Number(args[1] && args[1].maxByteLength) || 0)
install('ArrayBuffer', bufferBytes)
install('SharedArrayBuffer', bufferBytes)
for (const name of ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array']) {
  install(name, (args, target) => {
    const source = args[0]
    if (source instanceof ArrayBuffer || source instanceof SharedArrayBuffer) return 0
    const length = typeof source === 'object' && source !== null ? Number(source.length) || 0 : Number(source) || 0
    return length * target.BYTES_PER_ELEMENT
  })
}

const transfer = ArrayBuffer.prototype.transfer
if (typeof transfer === 'function') {
  for (const method of ['transfer', 'transferToFixedLength']) {
    const original = ArrayBuffer.prototype[method]
    Object.defineProperty(ArrayBuffer.prototype, method, {
      value: function (length) {
        if (length !== undefined) take(Number(length) - this.byteLength)
        return original.call(this, length)
      },
      writable: false,
      configurable: false,
    })
  }
}

const Memory = WebAssembly.Memory
const PAGE = 65536
const MeteredMemory = new Proxy(Memory, {
  construct(target, args, newTarget) {
    take((Number(args[0] && args[0].initial) || 0) * PAGE)
    return Reflect.construct(target, args, newTarget)
  },
})
const grow = Memory.prototype.grow
Object.defineProperty(Memory.prototype, 'grow', {
  value: function (pages) {
    take((Number(pages) || 0) * PAGE)
    return grow.call(this, pages)
  },
  writable: false,
  configurable: false,
})
Object.defineProperty(Memory.prototype, 'constructor', { value: MeteredMemory, writable: false, configurable: false })
Object.defineProperty(WebAssembly, 'Memory', { value: MeteredMemory, writable: false, configurable: false })
`
}

/** The ceiling of one call of `module`, in bytes: its `limits.memoryMb`, at most MAX_MODULE_MEMORY_MB. */
export function ceilingBytes(limits: { memoryMb?: number } | undefined): number {
  return Math.min(limits?.memoryMb ?? MAX_MODULE_MEMORY_MB, MAX_MODULE_MEMORY_MB) * 1024 * 1024
}
