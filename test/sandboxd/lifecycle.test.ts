/**
 * sandboxd as a real process (node sandboxd/main.ts): a sandbox does not
 * outlive it, and a work dir deleted behind its back is made again.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { TEST_SECRET } from './helpers'

let child: ChildProcess | undefined
let stateDir = ''

afterEach(async () => {
  child?.kill('SIGKILL')
  await rm(stateDir, { recursive: true, force: true })
})

async function startProcess(): Promise<string> {
  stateDir = await mkdtemp(join(tmpdir(), 'sandboxd-lifecycle-'))
  child = spawn(process.execPath, ['sandboxd/main.ts'], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', SANDBOXD_SECRET: TEST_SECRET, SANDBOXD_PORT: '0', SANDBOXD_STATE_DIR: stateDir },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  return new Promise((resolve, reject) => {
    let log = ''
    child?.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString()
      const match = /"message":"listening","url":"([^"]+)"/.exec(log)
      if (match?.[1]) resolve(match[1])
    })
    child?.once('exit', (code) => reject(new Error(`sandboxd exited with ${code}: ${log}`)))
  })
}

const exec = (url: string, body: unknown) =>
  fetch(`${url}/v1/sandboxes/t1/life/exec`, { method: 'POST', headers: { authorization: `Bearer ${TEST_SECRET}` }, body: JSON.stringify(body) })

function processesRunning(marker: string): number {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((line) => line.includes(marker)).length
}

it('takes its running sandboxes down when it is killed', async () => {
  const url = await startProcess()
  const marker = 'sleep 987.25'
  const pending = exec(url, { command: marker, timeoutMs: 60_000 }).catch(() => null)
  for (let i = 0; i < 50 && processesRunning(marker) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100))
  expect(processesRunning(marker)).toBeGreaterThan(0)
  const exited = new Promise((resolve) => child?.once('exit', resolve))
  child?.kill('SIGKILL')
  await exited
  await pending
  for (let i = 0; i < 50 && processesRunning(marker) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100))
  expect(processesRunning(marker)).toBe(0)
})

it('makes a deleted work dir again', async () => {
  const url = await startProcess()
  expect(await (await exec(url, { command: 'echo one > f; cat f' })).json()).toMatchObject({ exitCode: 0, stdout: 'one\n' })
  await rm(join(stateDir, 'work'), { recursive: true, force: true })
  expect(await (await exec(url, { command: 'ls -A; echo two' })).json()).toMatchObject({ exitCode: 0, stdout: 'two\n' })
})
