/**
 * Starts sandboxd as a real process (node sandboxd/main.ts) for the tier-4
 * end-to-end tests, on the port and secret vitest.tier4.config.ts chose, and
 * stops it afterwards.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

async function waitForHealth(url: string, secret: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const ok = await fetch(`${url}/v1/health`, { headers: { authorization: `Bearer ${secret}` } }).then(
      (response) => response.ok,
      () => false,
    )
    if (ok) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`sandboxd did not come up at ${url}`)
}

export default async function startSandboxd(): Promise<() => Promise<void>> {
  const port = process.env.TIER4_SANDBOXD_PORT ?? ''
  const secret = process.env.TIER4_SANDBOXD_SECRET ?? ''
  const stateDir = await mkdtemp(join(tmpdir(), 'tier4-e2e-'))
  const child = spawn(process.execPath, ['sandboxd/main.ts'], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', SANDBOXD_SECRET: secret, SANDBOXD_PORT: port, SANDBOXD_STATE_DIR: stateDir },
    stdio: ['ignore', 'inherit', 'pipe'],
  })
  const log: string[] = []
  child.stderr.on('data', (chunk: Buffer) => log.push(chunk.toString()))
  try {
    await waitForHealth(`http://127.0.0.1:${port}`, secret, Date.now() + 20_000)
  } catch (error) {
    child.kill('SIGKILL')
    throw new Error(`${(error as Error).message}\n${log.join('')}`)
  }
  return async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
    await rm(stateDir, { recursive: true, force: true })
  }
}
