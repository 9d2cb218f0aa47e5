/**
 * The routed figure of the differential harness: a case tier 1 answers
 * NOT_SUPPORTED is what the router sends to tier 4, so it counts as exact
 * only when tier 4 — a real sandboxd here (bubblewrap, the machine's GNU
 * tools, the fixtures synced into its work dir /work) — gives GNU's recorded
 * stdout, status and files. Prints the share of all cases answered
 * byte-exact on the routed path.
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { shellEscape } from '../../src/execution/native/quote'
// @ts-expect-error -- plain ES modules shared with the GNU recorder
import { FIXTURES } from './fixtures.mjs'
// @ts-expect-error -- plain ES modules shared with the GNU recorder
import { generateCases } from './generate.mjs'
// @ts-expect-error -- plain ES modules shared with the GNU recorder
import { ENV, INITIAL_SNAPSHOT } from './gnu.mjs'
// @ts-expect-error -- plain ES modules shared with the GNU recorder
import { normalise } from './normalise.mjs'
import { KNOWN_DIFFERENCES } from './known-differences'
import { runTier1, type DifferentialCase, type Outcome } from './tier1'

const recording = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'expected.json'), 'utf8')) as { results: Outcome[] }
const cases = generateCases() as DifferentialCase[]
const key = (testCase: DifferentialCase) => testCase.stages.map((stage) => stage.join(' ')).join(' | ')
const comparable = (outcome: Outcome) => JSON.stringify([outcome.stdout, outcome.stdoutBase64, outcome.exitCode, outcome.files])

/** The parts of test/sandboxd/helpers.ts and sandboxd/protocol.ts used here (sandboxd compiles under its own tsconfig). */
interface TestSandboxd {
  call(path: string, init?: RequestInit): Promise<Response>
  post<T>(path: string, body: unknown): Promise<T>
  close(): Promise<void>
}
interface ExecResponse {
  exitCode: number
  stdout: string
  stdoutBase64?: string
}
interface WorkDirEntry {
  path: string
  kind: 'file' | 'directory'
  sha256?: string
}
const HELPERS = '../sandboxd/helpers'

let sandboxd: TestSandboxd
beforeAll(async () => {
  const helpers = (await import(HELPERS)) as { startTestSandboxd: () => Promise<TestSandboxd> }
  sandboxd = await helpers.startTestSandboxd()
})
afterAll(async () => {
  await sandboxd?.close()
})

async function runTier4(testCase: DifferentialCase): Promise<Outcome> {
  const base = `/v1/sandboxes/differential/case-${testCase.id}`
  const directories = Object.keys(FIXTURES as Record<string, unknown>).filter((path) => path.endsWith('/')).map((path) => path.slice(0, -1))
  await sandboxd.post(`${base}/files/batch`, { deletes: [], mkdirs: directories, mtimes: {}, modes: {} })
  for (const [path, content] of Object.entries(FIXTURES as Record<string, string | Uint8Array>)) {
    if (path.endsWith('/')) continue
    const response = await sandboxd.call(`${base}/file?${new URLSearchParams({ path })}`, { method: 'PUT', body: typeof content === 'string' ? content : new Uint8Array(content) })
    expect(response.status).toBe(200)
  }
  const command = testCase.stages.map((stage) => stage.map(shellEscape).join(' ')).join(' | ')
  const result = await sandboxd.post<ExecResponse>(`${base}/exec`, { command, env: ENV, ...(testCase.stdin === undefined ? {} : { stdin: testCase.stdin }) })
  const entries = ((await (await sandboxd.call(`${base}/files`)).json()) as { entries: WorkDirEntry[] }).entries
  const files = entries
    .map((entry) => (entry.kind === 'directory' ? `${entry.path}/` : `${entry.path}\t${(entry.sha256 ?? '').slice(0, 16)}`))
    .sort()
    .join('\n')
  const stdout = result.stdoutBase64 === undefined ? { stdout: result.stdout } : { stdoutBase64: result.stdoutBase64 }
  return { ...stdout, exitCode: result.exitCode, ...(files === INITIAL_SNAPSHOT ? {} : { files }) }
}

describe('differential, routed: a NOT_SUPPORTED case answered by tier 4', () => {
  it('gives GNU\'s bytes on tier 4 for every case tier 1 sends there', async () => {
    let exact = 0
    const fallbacks: DifferentialCase[] = []
    for (const testCase of cases) {
      const expected = normalise(testCase, recording.results[testCase.id]) as Outcome
      const actual = normalise(testCase, await runTier1(testCase)) as Outcome
      if (actual.fallback !== undefined) fallbacks.push(testCase)
      else if (comparable(actual) === comparable(expected)) exact++
    }
    const wrongOnTier4: string[] = []
    for (const testCase of fallbacks) {
      const expected = normalise(testCase, recording.results[testCase.id]) as Outcome
      const routed = normalise(testCase, await runTier4(testCase)) as Outcome
      if (comparable(routed) === comparable(expected)) exact++
      else wrongOnTier4.push(`${key(testCase)}\n  want ${comparable(expected)}\n  got  ${comparable(routed)}`)
    }
    const documented = cases.filter((testCase) => KNOWN_DIFFERENCES.has(key(testCase))).length
    console.log(
      `differential (routed): ${cases.length} cases; ${exact} byte-exact on the routed path (${((100 * exact) / cases.length).toFixed(2)} %), ` +
        `${fallbacks.length} answered by tier 4 (${fallbacks.length - wrongOnTier4.length} with GNU's bytes), ${documented} documented tier-1 differences`,
    )
    expect(wrongOnTier4).toEqual([])
  }, 900_000)
})
