import type { Plugin } from 'vite'

export const DOCS_TS_EXAMPLES: 'virtual:docs-ts-examples'
export const CONTEXT_NAMES: string[]
export function tsExamples(root: string): Array<{ page: string; line: number; imports: string[]; body: string[] }>
export function docsTsExamples(root: string): Plugin
