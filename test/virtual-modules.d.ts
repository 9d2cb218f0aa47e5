// Modules that Vite plugins of vitest.config.ts generate (no file on disk to read their types from).
declare module 'virtual:docs-ts-examples' {
  /** Each ```ts block of README.md and docs/*.md as a function of the names it uses (scripts/docs-ts-examples.mjs). */
  export const examples: Array<{ page: string; line: number; run: (context: object) => Promise<unknown> }>
}
