/** Types for test-vars.mjs, imported by vitest.config.ts. */
export declare function ownTestVars<T extends object>(configPath: string, chosen: T): T & Record<string, string>
