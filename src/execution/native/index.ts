/** Tier 1: POSIX-like utilities in TypeScript over fsx (see docs/native.md). */
export { nativeExecutor, NATIVE_OPERATIONS } from './executor'
