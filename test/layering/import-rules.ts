/**
 * The layering rules (docs/design.md, "Layers"), as checks over an import
 * graph. Each returns the offending edges or cycles, so a failing test names
 * exactly which import breaks which rule.
 */
import type { ImportEdge } from './import-graph'

const inside = (file: string, folder: string): boolean => file.startsWith(`${folder}/`)

/** The Worker entry wires every layer together; it is the one file allowed above all of them. */
export const ENTRY = 'src/index.ts'

/** Nothing under src/ outside the HTTP and RPC front doors (and the entry) imports src/api/. */
export function importsOfApi(edges: ImportEdge[]): string[] {
  return edges
    .filter((e) => inside(e.to, 'src/api') && inside(e.from, 'src') && !inside(e.from, 'src/api') && !inside(e.from, 'src/rpc'))
    .filter((e) => e.from !== ENTRY && !(e.from === 'src/env.ts' && e.typeOnly))
    .map((e) => `${e.from} -> ${e.to}`)
}

/** src/core/ imports only itself and types/. */
export function coreImportsOfSrc(edges: ImportEdge[]): string[] {
  return edges.filter((e) => inside(e.from, 'src/core') && !inside(e.to, 'src/core') && !inside(e.to, 'types')).map((e) => `${e.from} -> ${e.to}`)
}

/** Cycles among value imports (what a bundler must order at load time), each as its files in order. */
export function valueCycles(edges: ImportEdge[]): string[][] {
  const next = new Map<string, string[]>()
  for (const e of edges) if (!e.typeOnly) next.set(e.from, [...(next.get(e.from) ?? []), e.to])
  // Tarjan's strongly connected components; any component of two or more files (or a self-import) is a cycle.
  let counter = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const cycles: string[][] = []
  const visit = (node: string): void => {
    index.set(node, counter)
    low.set(node, counter)
    counter += 1
    stack.push(node)
    onStack.add(node)
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to)
        low.set(node, Math.min(low.get(node) ?? 0, low.get(to) ?? 0))
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node) ?? 0, index.get(to) ?? 0))
    }
    if (low.get(node) !== index.get(node)) return
    const component: string[] = []
    let member: string | undefined
    do {
      member = stack.pop()
      if (member === undefined) break
      onStack.delete(member)
      component.push(member)
    } while (member !== node)
    if (component.length > 1 || (next.get(node) ?? []).includes(node)) cycles.push(component.sort())
  }
  for (const node of next.keys()) if (!index.has(node)) visit(node)
  return cycles
}
