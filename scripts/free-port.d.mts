/** Types for free-port.mjs, imported by the vitest configs. */
export declare function freePort(): Promise<number>
export declare function reservePort(port: number): boolean
