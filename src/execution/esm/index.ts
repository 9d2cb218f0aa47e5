/** Tier 3: user-supplied ESM/WASM modules in Worker Loader isolates (see docs/tiers-2-3.md). */
export { esmExecutor } from './esm-executor'
export { uploadModule } from './module-upload'
export { listModules } from './module-store'
export { ModuleUploadSchema } from './module-schema'
