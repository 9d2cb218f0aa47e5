/**
 * Each format's reader and writer, meeting in plain JSON-compatible values.
 * Readers and writers throw `FormatError` with a message naming the format
 * and what to fix; anything else thrown is a bug in the service.
 */
import Papa from 'papaparse'
import { parse as parseToml, stringify as stringifyToml } from 'smol-toml'
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml'
import type { ConvertOptions, Format } from './protocol'

export class FormatError extends Error {
  override readonly name = 'FormatError'
}

type Reader = (input: string, options: ConvertOptions) => unknown
type Writer = (value: unknown, options: ConvertOptions) => string

const DELIMITERS = { csv: ',', tsv: '\t' } as const

function readDelimited(format: 'csv' | 'tsv'): Reader {
  return (input, options) => {
    const parsed = Papa.parse<unknown>(input, {
      delimiter: DELIMITERS[format],
      header: !options.noHeader,
      skipEmptyLines: true,
    })
    const error = parsed.errors[0]
    if (error) throw new FormatError(`${format}: ${error.message}${error.row !== undefined ? ` (row ${error.row + 1})` : ''}`)
    return parsed.data
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A cell as CSV shows it: nested values as their JSON text, null as empty. */
function cell(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : value
}

function writeDelimited(format: 'csv' | 'tsv'): Writer {
  return (value) => {
    if (!Array.isArray(value)) throw new FormatError(`${format}: the data must be an array of rows (objects or arrays)`)
    const rows = value.map((row: unknown, index) => {
      if (Array.isArray(row)) return row.map(cell)
      if (isRecord(row)) return Object.fromEntries(Object.entries(row).map(([key, field]) => [key, cell(field)]))
      throw new FormatError(`${format}: row ${index + 1} is neither an object nor an array`)
    })
    const text = Papa.unparse(rows as unknown[][], { delimiter: DELIMITERS[format], newline: '\n' })
    return text === '' ? '' : `${text}\n`
  }
}

function failing<T>(format: Format, work: () => T): T {
  try {
    return work()
  } catch (thrown) {
    if (thrown instanceof FormatError) throw thrown
    throw new FormatError(`${format}: ${thrown instanceof Error ? thrown.message : String(thrown)}`)
  }
}

export const READERS: Record<Format, Reader> = {
  json: (input) => failing('json', () => JSON.parse(input)),
  yaml: (input) => failing('yaml', () => parseYaml(input)),
  toml: (input) => failing('toml', () => parseToml(input)),
  csv: readDelimited('csv'),
  tsv: readDelimited('tsv'),
}

export const WRITERS: Record<Format, Writer> = {
  json: (value, options) => `${JSON.stringify(value, null, options.compact ? undefined : 2)}\n`,
  yaml: (value) => failing('yaml', () => stringifyYaml(value)),
  toml: (value) => {
    if (!isRecord(value)) throw new FormatError('toml: the data must be a table (an object) at the top level')
    // smol-toml ends a document that closes with a table in a newline, and one with a plain key without.
    return failing('toml', () => stringifyToml(value).replace(/\n?$/, '\n'))
  },
  csv: writeDelimited('csv'),
  tsv: writeDelimited('tsv'),
}
