import type { Plugin } from 'vite'

export function docsTsExamples(root: string): Plugin
