/** Types for test-vars.mjs, imported by vitest.config.ts. */
export declare function ownTestVars(configPath: string, chosen: Record<string, unknown>): Record<string, unknown>
