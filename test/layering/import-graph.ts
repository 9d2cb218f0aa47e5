/**
 * The import graph of the fabric's sources, read from the files as text: each
 * relative import, re-export and `import('…')` type of every .ts file under a
 * root, resolved to a file, and marked type-only when TypeScript erases it
 * (`import type`, `export type`, every named specifier `type`, or an
 * `import('…')` in a type position). Node-side only: the workerd test pool
 * cannot read the file system.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'

export interface ImportEdge {
  from: string
  to: string
  typeOnly: boolean
}

/** `import … from '…'` / `export … from '…'` (group 1: the clause, group 2: the specifier). */
const STATIC_IMPORT = /^\s*(import|export)\s+([^'";]*?)\s*from\s*['"]([^'"]+)['"]/gm
/** A side-effect import: `import './x'`. */
const BARE_IMPORT = /^\s*import\s+['"]([^'"]+)['"]/gm
/** `import('…')`: a type query in a .ts file unless awaited or called as a value. */
const DYNAMIC_IMPORT = /(await\s+)?import\(\s*['"]([^'"]+)['"]\s*\)/g

function isTypeOnlyClause(keyword: string, clause: string): boolean {
  if (/^type\s/.test(clause)) return true
  const named = /^\{([^}]*)\}$/.exec(clause.trim())
  if (!named?.[1]) return false
  const names = named[1].split(',').map((n) => n.trim()).filter(Boolean)
  return keyword === 'import' && names.length > 0 && names.every((n) => n.startsWith('type '))
}

/** Every import of one file's text, with the specifier as written. */
export function importsOf(text: string): Array<{ specifier: string; typeOnly: boolean }> {
  const found: Array<{ specifier: string; typeOnly: boolean }> = []
  for (const m of text.matchAll(STATIC_IMPORT)) found.push({ specifier: m[3] ?? '', typeOnly: isTypeOnlyClause(m[1] ?? '', m[2] ?? '') })
  for (const m of text.matchAll(BARE_IMPORT)) found.push({ specifier: m[1] ?? '', typeOnly: false })
  for (const m of text.matchAll(DYNAMIC_IMPORT)) found.push({ specifier: m[2] ?? '', typeOnly: m[1] === undefined })
  return found
}

function resolveRelative(fromFile: string, specifier: string): string | undefined {
  const base = path.join(path.dirname(fromFile), specifier)
  for (const candidate of [base, `${base}.ts`, base.replace(/\.js$/, '.ts'), path.join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate
  }
  return undefined
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(full)
    return entry.name.endsWith('.ts') ? [full] : []
  })
}

/** Edges between files, as paths relative to `repo` (e.g. `src/agent/agent-do.ts`). */
export function importGraph(repo: string, roots: string[]): ImportEdge[] {
  const edges: ImportEdge[] = []
  for (const file of roots.flatMap((root) => sourceFiles(path.join(repo, root)))) {
    for (const { specifier, typeOnly } of importsOf(readFileSync(file, 'utf8'))) {
      // Packages are outside the graph; a `${…}` specifier sits in generated code (a template string), not in this file's imports.
      if (!specifier.startsWith('.') || specifier.includes('${')) continue
      const target = resolveRelative(file, specifier)
      if (!target) throw new Error(`${path.relative(repo, file)}: cannot resolve import '${specifier}'`)
      edges.push({ from: path.relative(repo, file), to: path.relative(repo, target), typeOnly })
    }
  }
  return edges
}
