/**
 * jsonChunks: many rows as few JSON-array parameters, each under the bound
 * SQLite puts on one value, in order, a row bigger than the bound alone.
 */
import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { newId } from '../../src/core/ids'
import { insertJsonRows, jsonChunks, jsonRowsInsertSql } from '../../src/core/json-chunks'

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

describe('bulk insert of JSON rows', () => {
  it('writes one INSERT … SELECT over json_each with one parameter, OR IGNORE and RETURNING when asked', () => {
    expect(jsonRowsInsertSql('t', ['a', 'b'])).toBe('INSERT INTO t (a, b) SELECT value ->> 0, value ->> 1 FROM json_each(?)')
    expect(jsonRowsInsertSql('t', ['a'], { orIgnore: true, returning: 'id' })).toBe('INSERT OR IGNORE INTO t (a) SELECT value ->> 0 FROM json_each(?) RETURNING id')
  })

  it("inserts every row with its values' SQL types, in order, and answers what RETURNING names", async () => {
    const stub = env.SAGA.get(env.SAGA.idFromName(newId('json-rows-test')))
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql
      sql.exec('CREATE TABLE json_rows (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, n INTEGER, doc TEXT)')
      // Rows bigger than one chunk's bound still land, each exactly once.
      const rows = Array.from({ length: 300 }, (_, i) => [`row-${i}`, i, i % 2 === 0 ? null : JSON.stringify({ i, text: 'z'.repeat(5000) })])
      const ids = insertJsonRows<{ id: number }>(sql, 'json_rows', ['name', 'n', 'doc'], rows, 'id')
      expect(ids.map((row) => row.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1))
      const stored = sql.exec<{ name: string; n: number; doc: string | null; t: string }>('SELECT name, n, doc, typeof(n) AS t FROM json_rows ORDER BY id').toArray()
      expect(stored.map((row) => [row.name, row.n, row.doc])).toEqual(rows)
      expect(new Set(stored.map((row) => row.t))).toEqual(new Set(['integer']))
    })
  })
})
