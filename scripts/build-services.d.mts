/** Types for build-services.mjs, imported by vitest's global setup. */
export declare function buildServices(requested?: string[]): Promise<void>
