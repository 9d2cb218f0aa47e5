/**
 * The one error registry (types/errors.ts) against the real sources: every
 * code a file raises with `new FabricError('CODE', …)` is one its layer may
 * raise, and docs/errors.md is the table generated from the registry
 * (`WRITE_ERROR_DOCS=1 npx vitest run -c vitest.sandboxd.config.ts test/layering/error-registry.test.ts`
 * rewrites it). Runs in Node: the workerd pool cannot read the source tree.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ERROR_CODES, isErrorCode, type ErrorCode, type ErrorLayer } from '../../types/errors.ts'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** Which layer a source folder is. */
const LAYER_OF_FOLDER: ReadonlyArray<[string, ErrorLayer]> = [
  ['src/api/', 'api'],
  ['src/rpc/', 'api'],
  ['src/governance/', 'governance'],
  ['src/agent/', 'agent'],
  ['src/orchestration/', 'agent'],
  ['src/execution/', 'execution'],
  ['sandboxd/', 'sandboxd'],
]

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(repo, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(relative)
    return entry.name.endsWith('.ts') ? [relative] : []
  })
}

function raisedCodes(file: string): string[] {
  return [...readFileSync(path.join(repo, file), 'utf8').matchAll(/new FabricError\(\s*'([A-Z_]+)'/g)].map((m) => m[1] ?? '')
}

function errorDocs(): string {
  const rows = (Object.keys(ERROR_CODES) as ErrorCode[]).map((code) => {
    const spec = ERROR_CODES[code]
    return `| \`${code}\` | ${spec.status} | ${spec.retriable ? 'yes' : 'no'} | ${spec.raisedBy.join(', ')} | ${spec.meaning} |`
  })
  return [
    '# Error codes',
    '',
    'Generated from the one registry, `types/errors.ts` (edit it there, then run',
    '`WRITE_ERROR_DOCS=1 npx vitest run -c vitest.sandboxd.config.ts test/layering/error-registry.test.ts`).',
    'Every error body is `{"error": {"code", "message", "details"?}}` with the status below; an ExecResult',
    'carries the same codes in `error.code` (with HTTP 200 when the execution ran). `retriable`: the same call',
    'may succeed later or on another tier (the router falls back only on these).',
    '',
    '| code | HTTP | retriable | raised by | meaning |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n')
}

describe('the error registry', () => {
  it('lets every layer raise only the codes registered for it', () => {
    const strays = [...sourceFiles('src'), ...sourceFiles('sandboxd')].flatMap((file) => {
      const layer = LAYER_OF_FOLDER.find(([folder]) => file.startsWith(folder))?.[1]
      if (!layer) return []
      return raisedCodes(file)
        .filter((code) => !isErrorCode(code) || !(ERROR_CODES[code].raisedBy as readonly ErrorLayer[]).includes(layer))
        .map((code) => `${file} raises ${code} (layer ${layer})`)
    })
    expect(strays).toEqual([])
  })

  it('reads the real tree: sandboxd raises EACCES, the API UNAUTHORIZED', () => {
    expect(sourceFiles('sandboxd').flatMap(raisedCodes)).toContain('EACCES')
    expect(sourceFiles('src/api').flatMap(raisedCodes)).toContain('UNAUTHORIZED')
  })

  it('is the only table of codes: no other file maps codes to statuses', () => {
    const tables = [...sourceFiles('src'), ...sourceFiles('sandboxd'), ...sourceFiles('types')].filter((file) =>
      /\b(?:UNAUTHORIZED|EACCES|NOT_FOUND):\s*(?:\{\s*)?(?:status:\s*)?\d{3}/.test(readFileSync(path.join(repo, file), 'utf8')),
    )
    expect(tables).toEqual(['types/errors.ts'])
  })

  it('is what docs/errors.md lists', () => {
    const docs = path.join(repo, 'docs/errors.md')
    if (process.env.WRITE_ERROR_DOCS === '1') writeFileSync(docs, errorDocs())
    expect(readFileSync(docs, 'utf8')).toBe(errorDocs())
  })
})
