/**
 * The convert service (services/convert) over its real service binding:
 * exact output for each format pair that matters, and bad input as exit
 * status 1 with a message naming the format.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { ConvertRequest } from '../../services/convert/src/protocol'

const convert = (request: ConvertRequest) => env.SVC_CONVERT!.convert(request)

/** The error an RPC call rejects with (awaited here, so no rejection is left unhandled). */
async function rejection(call: () => Promise<unknown>): Promise<Error> {
  try {
    await call()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected the call to reject')
}

describe('convert service', () => {
  it('turns YAML into indented JSON, or one line with compact', async () => {
    const input = 'name: fabric\ntiers:\n  - 1\n  - 2\nnested: {ok: true}\n'
    expect(await convert({ from: 'yaml', to: 'json', input })).toEqual({
      stdout: '{\n  "name": "fabric",\n  "tiers": [\n    1,\n    2\n  ],\n  "nested": {\n    "ok": true\n  }\n}\n',
      stderr: '',
      exitCode: 0,
    })
    expect((await convert({ from: 'yaml', to: 'json', input, options: { compact: true } })).stdout).toBe(
      '{"name":"fabric","tiers":[1,2],"nested":{"ok":true}}\n',
    )
  })

  it('turns JSON into YAML and TOML', async () => {
    const input = '{"title":"x","owner":{"name":"ada","id":7},"tags":["a","b"]}'
    expect((await convert({ from: 'json', to: 'yaml', input })).stdout).toBe('title: x\nowner:\n  name: ada\n  id: 7\ntags:\n  - a\n  - b\n')
    expect((await convert({ from: 'json', to: 'toml', input })).stdout).toBe('title = "x"\ntags = [ "a", "b" ]\n\n[owner]\nname = "ada"\nid = 7\n')
  })

  it('reads TOML into JSON', async () => {
    const input = 'title = "x"\n[server]\nport = 8080\nhosts = ["a", "b"]\n'
    expect((await convert({ from: 'toml', to: 'json', input, options: { compact: true } })).stdout).toBe(
      '{"title":"x","server":{"port":8080,"hosts":["a","b"]}}\n',
    )
  })

  it('reads CSV with a header into objects, without one into arrays, and writes CSV and TSV back', async () => {
    const csv = 'name,qty\n"widget, large",3\nbolt,10\n'
    expect((await convert({ from: 'csv', to: 'json', input: csv, options: { compact: true } })).stdout).toBe(
      '[{"name":"widget, large","qty":"3"},{"name":"bolt","qty":"10"}]\n',
    )
    expect((await convert({ from: 'csv', to: 'json', input: csv, options: { compact: true, noHeader: true } })).stdout).toBe(
      '[["name","qty"],["widget, large","3"],["bolt","10"]]\n',
    )
    const rows = '[{"name":"widget, large","qty":3,"meta":{"a":1}},{"name":"bolt","qty":10,"meta":null}]'
    expect((await convert({ from: 'json', to: 'csv', input: rows })).stdout).toBe('name,qty,meta\n"widget, large",3,"{""a"":1}"\nbolt,10,\n')
    // Papa Parse quotes a TSV field that contains quotes, as it does for CSV.
    expect((await convert({ from: 'json', to: 'tsv', input: rows })).stdout).toBe('name\tqty\tmeta\nwidget, large\t3\t"{""a"":1}"\nbolt\t10\t\n')
  })

  it('fails bad input with exit status 1 and a message naming the format', async () => {
    const badYaml = await convert({ from: 'yaml', to: 'json', input: 'a: [1, 2\n' })
    expect(badYaml.exitCode).toBe(1)
    expect(badYaml.stdout).toBe('')
    expect(badYaml.stderr).toMatch(/^convert: yaml: /)
    expect(await convert({ from: 'json', to: 'yaml', input: '{"a":' })).toMatchObject({ exitCode: 1, stderr: expect.stringMatching(/^convert: json: /) })
    expect(await convert({ from: 'json', to: 'toml', input: '[1,2]' })).toEqual({
      stdout: '',
      stderr: 'convert: toml: the data must be a table (an object) at the top level\n',
      exitCode: 1,
    })
    expect(await convert({ from: 'json', to: 'csv', input: '{"a":1}' })).toEqual({
      stdout: '',
      stderr: 'convert: csv: the data must be an array of rows (objects or arrays)\n',
      exitCode: 1,
    })
  })

  it('rejects a request outside its contract (an unknown format) by throwing, which the fabric reports as RPC_ERROR', async () => {
    const error = await rejection(() => convert({ from: 'xml' as 'json', to: 'json', input: '' }))
    expect(error.message).toMatch(/^convert\.convert: invalid request: from: /)
  })

  it('refuses a call whose deadline has already passed', async () => {
    const error = await rejection(() => convert({ from: 'json', to: 'json', input: '1', deadline: Date.now() - 1 }))
    expect(error.message).toBe("convert.convert: the caller's deadline passed before the call started")
  })
})
