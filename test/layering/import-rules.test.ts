/**
 * The layering rule over the real sources: nothing under src/ but the HTTP and
 * RPC front doors imports src/api/, src/core/ imports nothing of src/, and no
 * value imports form a cycle. Runs in Node (vitest.sandboxd.config.ts): the
 * workerd pool cannot read the source tree.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { importGraph, importsOf, type ImportEdge } from './import-graph'
import { coreImportsOfSrc, importsOfApi, valueCycles } from './import-rules'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const graph = importGraph(repo, ['src'])

const edge = (from: string, to: string, typeOnly = false): ImportEdge => ({ from, to, typeOnly })

describe('the import graph of src/', () => {
  it('has no import of src/api/ outside src/api/, src/rpc/ and the Worker entry', () => {
    expect(importsOfApi(graph)).toEqual([])
  })

  it('has src/core/ importing only src/core/ and types/', () => {
    expect(coreImportsOfSrc(graph)).toEqual([])
  })

  it('has no value-import cycle', () => {
    expect(valueCycles(graph)).toEqual([])
  })

  it('reads the real tree: the agent Durable Object imports Env by type and the agent runtime by value', () => {
    const fromAgentDo = graph.filter((e) => e.from === 'src/agent/agent-do.ts')
    expect(fromAgentDo).toContainEqual(edge('src/agent/agent-do.ts', 'src/env.ts', true))
    expect(fromAgentDo).toContainEqual(edge('src/agent/agent-do.ts', 'src/agent/runtime.ts'))
  })
})

describe('the rules', () => {
  it('name an agent file that imports the API layer, by value or by type', () => {
    const edges = [edge('src/agent/x.ts', 'src/api/schemas/agents.ts'), edge('src/wal/y.ts', 'src/api/app-env.ts', true), edge('src/rpc/z.ts', 'src/api/app-env.ts')]
    expect(importsOfApi(edges)).toEqual(['src/agent/x.ts -> src/api/schemas/agents.ts', 'src/wal/y.ts -> src/api/app-env.ts'])
  })

  it('name a core file that imports anything of src/ outside core', () => {
    const edges = [edge('src/core/a.ts', 'src/core/b.ts'), edge('src/core/a.ts', 'types/fabric.ts'), edge('src/core/a.ts', 'src/telemetry/logger.ts', true)]
    expect(coreImportsOfSrc(edges)).toEqual(['src/core/a.ts -> src/telemetry/logger.ts'])
  })

  it('find a value cycle and ignore one closed only by a type import', () => {
    const value = [edge('src/a.ts', 'src/b.ts'), edge('src/b.ts', 'src/c.ts'), edge('src/c.ts', 'src/a.ts'), edge('src/c.ts', 'src/d.ts')]
    expect(valueCycles(value)).toEqual([['src/a.ts', 'src/b.ts', 'src/c.ts']])
    expect(valueCycles([edge('src/a.ts', 'src/b.ts'), edge('src/b.ts', 'src/a.ts', true)])).toEqual([])
    expect(valueCycles([edge('src/a.ts', 'src/a.ts')])).toEqual([['src/a.ts']])
  })
})

describe('importsOf', () => {
  it('tells type-only imports from value imports', () => {
    const text = [
      "import { a } from './a'",
      "import type { B } from './b'",
      "import { type C, type D } from './c'",
      "import { type E, f } from './e'",
      "export type { G } from './g'",
      "export { h } from './h'",
      "import './side-effect'",
      "type N = import('./n').N",
      "const m = await import('./m')",
      "import { z } from 'zod'",
    ].join('\n')
    expect(importsOf(text)).toEqual([
      { specifier: './a', typeOnly: false },
      { specifier: './b', typeOnly: true },
      { specifier: './c', typeOnly: true },
      { specifier: './e', typeOnly: false },
      { specifier: './g', typeOnly: true },
      { specifier: './h', typeOnly: false },
      { specifier: 'zod', typeOnly: false },
      { specifier: './side-effect', typeOnly: false },
      { specifier: './n', typeOnly: true },
      { specifier: './m', typeOnly: false },
    ])
  })
})
