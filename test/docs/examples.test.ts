/**
 * Every API example of README.md and docs/*.md runs as written against real
 * fabrics started the way a newcomer starts one (`npm run dev`: scripts/dev.mjs,
 * with sandboxd when bubblewrap is installed): each page's examples exit 0 and
 * each documented curl call answers the status, code and fields its comments
 * promise (test/docs/examples.ts). Two fabrics run side by side on different
 * PORTs with no other configuration, each with its own sandboxd, and `npm run
 * dev` says it is ready in at most 15 lines. Runs in Node
 * (vitest.sandboxd.config.ts): it starts processes and reads the docs.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chmodSync, copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readDevVars } from '../../scripts/dev-vars.mjs'
import { freePort } from '../../scripts/free-port.mjs'
import { stopInOrder } from '../../bench/lib/server.mjs'
import { broken, pageScript, parseCallLog, shellExamples } from './examples'

const root = resolve(fileURLToPath(import.meta.url), '../../..')
const bin = join(root, 'node_modules', '.bin')
// node_modules/.bin first, as `npm run dev` has it: wrangler and sandboxd need the bundled Node 22.
const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` }
const READY = /\[dev\] edge-fabric .* is ready/
const READY_BLOCK_LINES = 6

interface DevFabric {
  port: number
  child: ChildProcess
  state: string
  /** The secrets file it was started with (DEV_VARS_FILE). */
  varsFile: string
  /** Everything it printed so far (shown when it fails). */
  output: string
  /** Everything it printed up to and including its ready block. */
  startOutput: string[]
  health: { tiers: Array<{ tier: number; available: boolean }> }
}

async function startDev(): Promise<DevFabric> {
  const port = await freePort()
  const state = mkdtempSync(join(tmpdir(), 'docs-examples-'))
  chmodSync(state, 0o755) // sandboxd's sandbox uid must traverse it to reach its work dirs
  // Secrets of its own, made from the committed example as `npm run dev` makes .dev.vars: never the developer's file.
  const varsFile = join(state, 'dev.vars')
  const child = spawn(process.execPath, [join(root, 'scripts', 'dev.mjs')], {
    cwd: root,
    env: { ...env, PORT: String(port), DEV_PERSIST_TO: state, DEV_VARS_FILE: varsFile },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let output = ''
  const collect = (chunk: Buffer) => {
    output += chunk.toString()
    fabric.output = output
  }
  const fabric = { output }
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)
  const deadline = Date.now() + 150_000
  while (!READY.test(output)) {
    const failure = child.exitCode !== null ? `npm run dev exited ${child.exitCode}` : Date.now() > deadline ? 'npm run dev was not ready in 150 s' : undefined
    if (failure) {
      // Nothing will stop a server the suite never got: its process group goes now, not after the run.
      await stopInOrder(child, 15_000)
      rmSync(state, { recursive: true, force: true })
      throw new Error(`${failure}:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  await new Promise((r) => setTimeout(r, 100)) // the rest of the ready block
  const lines = output.split('\n')
  const readyAt = lines.findIndex((line) => READY.test(line))
  const health = await (await fetch(`http://127.0.0.1:${port}/health`)).json()
  return Object.assign(fabric, { port, child, state, varsFile, startOutput: lines.slice(0, readyAt + READY_BLOCK_LINES), health })
}

async function stopDev(fabric: DevFabric | undefined): Promise<void> {
  if (!fabric) return
  await stopInOrder(fabric.child, 15_000)
  rmSync(fabric.state, { recursive: true, force: true })
}

const bwrap = spawnSync('sh', ['-c', 'command -v bwrap']).status === 0
const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)]

describe('the docs examples against `npm run dev`', () => {
  let a: DevFabric | undefined
  let b: DevFabric | undefined
  let token = ''

  beforeAll(async () => {
    // Side by side, started at once, on different PORTs and nothing else.
    // allSettled: when one fails to start, the other is still kept for afterAll to stop.
    const started = await Promise.allSettled([startDev(), startDev()])
    ;[a, b] = started.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : undefined))
    for (const outcome of started) if (outcome.status === 'rejected') throw outcome.reason
    token = readDevVars(a?.varsFile ?? '').FABRIC_DEV_TOKEN ?? ''
  }, 200_000)

  afterAll(async () => {
    await Promise.all([stopDev(a), stopDev(b)])
  }, 60_000)

  it('prints at most 15 lines before it is ready, and both fabrics have every tier (tier 4 with bubblewrap)', () => {
    for (const fabric of [a, b]) {
      expect(fabric?.startOutput.length).toBeLessThanOrEqual(15)
      expect(fabric?.health.tiers.map((t) => [t.tier, t.available])).toEqual([
        [1, true],
        [2, true],
        [3, true],
        [4, bwrap],
      ])
    }
    const sandboxds = [a, b].map((fabric) => /sandboxd on (\S+)\)/.exec(fabric?.startOutput.join('\n') ?? '')?.[1])
    if (bwrap) expect(new Set(sandboxds).size).toBe(2)
  })

  it('finds the API examples of every page that has them', () => {
    const withExamples = pages.filter((page) => shellExamples(readFileSync(join(root, page), 'utf8')).length > 0)
    expect(withExamples).toEqual(['README.md', 'docs/agents.md', 'docs/fsx.md', 'docs/governance.md', 'docs/native.md', 'docs/sandbox.md', 'docs/telemetry-security.md', 'docs/tiers-2-3.md'])
  })

  // In page order against one fabric: later pages build on what README's tour wrote, as a reader's would.
  it.each(pages.filter((page) => shellExamples(readFileSync(join(root, page), 'utf8')).length > 0))(
    '%s: every example exits 0 and every curl answers as documented',
    async (page) => {
      const sandboxdPort = await freePort()
      const { script, expectations } = pageScript(page, readFileSync(join(root, page), 'utf8'), { fabricPort: a?.port ?? 0, sandboxdPort, token })
      const work = mkdtempSync(join(tmpdir(), 'docs-page-'))
      const log = join(work, 'calls.tsv')
      writeFileSync(log, '')
      // In a scratch directory that links every entry of the checkout's root (the examples read
      // node_modules/.bin as a reader in the checkout would): a file an example writes lands there, not in the checkout.
      for (const name of readdirSync(root)) if (name !== '.dev.vars') symlinkSync(join(root, name), join(work, name))
      // The examples read the token and sandboxd's secret from .dev.vars: here, the file the fabric was started with.
      copyFileSync(a?.varsFile ?? '', join(work, '.dev.vars'))
      chmodSync(work, 0o755) // docs/sandbox.md starts sandboxd here: its sandbox uid must traverse to .sandboxd
      const run = spawnSync('bash', ['-c', script], { cwd: work, env: { ...env, DOCS_CALL_LOG: log }, encoding: 'utf8', timeout: 120_000 })
      const calls = parseCallLog(readFileSync(log, 'utf8'))
      rmSync(work, { recursive: true, force: true })
      expect({ page, exit: run.status, ...(run.status !== 0 ? { stderr: run.stderr } : {}) }).toEqual({ page, exit: 0 })
      const problems = calls.flatMap((call) => {
        const expectation = expectations.find((e) => call.line >= e.first && call.line <= e.last)
        if (!expectation) return [`a curl call at line ${call.line} that is not in the examples`]
        const problem = broken(call, expectation)
        return problem ? [`${expectation.command}\n  → ${problem}; answer: ${call.body.slice(0, 300)}`] : []
      })
      expect(problems).toEqual([])
      // Every documented call ran (none skipped by an earlier failure).
      expect(expectations.filter((e) => !calls.some((call) => call.line >= e.first && call.line <= e.last)).map((e) => e.command)).toEqual([])
    },
    150_000,
  )

  it('the second fabric serves on its own while the first ran every example', () => {
    // curl, as the examples use: a fresh connection (the test's fetch pool may hold one the proxy has dropped).
    const body = JSON.stringify({ command: bwrap ? 'uname -s' : 'echo Linux', ...(bwrap ? { tier: 4 } : {}) })
    const answer = spawnSync(
      'curl',
      ['-s', '-w', '\n%{http_code}', '-H', `authorization: Bearer ${token}`, '-H', 'content-type: application/json', '-d', body, `http://127.0.0.1:${b?.port}/v1/exec`],
      { encoding: 'utf8' },
    )
    const [json = '', status = ''] = answer.stdout.split('\n')
    expect([answer.status, Number(status)], b?.output).toEqual([0, 200])
    expect(JSON.parse(json)).toMatchObject({ ok: true, stdout: 'Linux\n', tier: bwrap ? 4 : 1 })
  })
})
