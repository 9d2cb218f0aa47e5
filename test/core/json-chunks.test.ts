/**
 * jsonChunks: many rows as few JSON-array parameters, each under the bound
 * SQLite puts on one value, in order, a row bigger than the bound alone.
 */
import { describe, expect, it } from 'vitest'
import { jsonChunks } from '../../src/core/json-chunks'

describe('jsonChunks', () => {
  it('packs rows into arrays under the bound, in order, and every row exactly once', () => {
    const rows = Array.from({ length: 50 }, (_, i) => ['task', i, 'x'.repeat(i)])
    const chunks = jsonChunks(rows, 200)
    expect(chunks.length).toBeGreaterThan(1)
    for (const chunk of chunks) expect(chunk.length <= 200 || (JSON.parse(chunk) as unknown[]).length === 1).toBe(true)
    expect(chunks.flatMap((chunk) => JSON.parse(chunk) as unknown[])).toEqual(rows)
  })

  it('puts a row bigger than the bound in an array of its own, and nothing for no rows', () => {
    const big = 'y'.repeat(500)
    expect(jsonChunks([['a'], [big], ['b']], 100)).toEqual(['[["a"]]', `[["${big}"]]`, '[["b"]]'])
    expect(jsonChunks([], 100)).toEqual([])
  })
})
