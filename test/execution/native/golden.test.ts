/**
 * Every case recorded from the real GNU tools (record-golden.mjs) replayed on
 * tier 1 over fsx with the same fixtures: stdout, stderr and exit status must
 * be byte-for-byte identical.
 */
import { describe, expect, it } from 'vitest'
import type { ExecResult } from '../../../types/execution'
import { base64ToBytes } from '../../../src/execution/native/base64-codec'
import golden from './golden.json'
import { freshFs, runNative, writeFixtures } from './harness'

interface GoldenStep {
  argv: string[]
  stdin?: string
  stdout?: string
  stdoutBase64?: string
  stderr: string
  exitCode: number
}

interface GoldenCase {
  name: string
  steps: GoldenStep[]
  unordered?: boolean
}

const CWD = '/work'

function fixtureFiles(): Record<string, string | Uint8Array> {
  const files: Record<string, string | Uint8Array> = {}
  for (const [path, content] of Object.entries(golden.fixtures as Record<string, { text?: string; base64?: string }>)) {
    files[path] = content.text ?? (base64ToBytes(content.base64 ?? '') as Uint8Array)
  }
  return files
}

const sortedLines = (text: string) => text.split('\n').sort().join('\n')

function expectStep(result: ExecResult, step: GoldenStep, unordered: boolean): void {
  const actual = { stdout: result.stdout, stdoutBase64: result.stdoutBase64, stderr: result.stderr, exitCode: result.exitCode }
  const expected = { stdout: step.stdout, stdoutBase64: step.stdoutBase64, stderr: step.stderr, exitCode: step.exitCode }
  if (step.stdoutBase64 !== undefined) expected.stdout = result.stdout
  if (unordered) {
    actual.stdout = sortedLines(actual.stdout)
    expected.stdout = sortedLines(expected.stdout ?? '')
  }
  expect(actual).toEqual(expected)
  expect(result.ok).toBe(step.exitCode === 0)
  expect(result.tier).toBe(1)
  if (step.exitCode !== 0) expect(result.error?.code).toBe('COMMAND_FAILED')
}

describe('tier 1 matches GNU coreutils, grep and sed byte for byte', () => {
  for (const testCase of golden.cases as GoldenCase[]) {
    it(`${testCase.name}: ${testCase.steps.map((step) => step.argv.join(' ')).join(' ; ')}`, async () => {
      const fs = freshFs()
      await writeFixtures(fs, CWD, fixtureFiles())
      for (const step of testCase.steps) {
        const result = await runNative(fs, step.argv, { cwd: CWD, ...(step.stdin === undefined ? {} : { stdin: step.stdin }) })
        expectStep(result, step, testCase.unordered ?? false)
      }
    })
  }
})
