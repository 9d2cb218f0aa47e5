/** Types for lines.mjs, imported by the corpus tests. */
export declare const FIXTURES: Record<string, string>
export declare function corpusLines(): string[]
export declare const LINE_TIMEOUT_MS: number
