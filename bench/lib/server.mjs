/** Starts the local fabric (scripts/dev.mjs) on a free port for a benchmark and stops it after. */
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readDevVars } from '../../scripts/dev-vars.mjs'
import { freePort } from '../../scripts/free-port.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

export async function waitForHealth(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the fabric exited with ${child.exitCode} before it was ready`)
    try {
      const response = await fetch(`${url}/health`)
      if (response.ok) return response.json()
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`the fabric did not answer ${url}/health within ${timeoutMs} ms`)
}

/** Signals a child spawned with `detached: true` and everything it started (wrangler's workerd too). */
export function stopGroup(child, signal = 'SIGTERM') {
  try {
    process.kill(-child.pid, signal)
  } catch {
    // already gone
  }
}

/**
 * Stops a detached child in order: SIGTERM to it alone, so it shuts down what it
 * started (wrangler disposes its esbuild context before esbuild's process goes;
 * a SIGTERM to the whole group at once kills esbuild first and wrangler prints
 * "The service is no longer running" with a stack), then, after it exited or
 * `graceMs`, SIGKILL to whatever of its group is left.
 */
export async function stopInOrder(child, graceMs = 10_000) {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    let timer
    await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))])
    clearTimeout(timer)
  }
  stopGroup(child, 'SIGKILL')
}

export async function startFabric({ quiet = true } = {}) {
  const port = await freePort()
  const child = spawn(process.execPath, [join(root, 'scripts', 'dev.mjs')], {
    cwd: root,
    env: { ...process.env, PORT: String(port), BENCH_BARE_ROUTE: 'on' },
    stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
    detached: true,
  })
  const url = `http://127.0.0.1:${port}`
  const health = await waitForHealth(url, child, 90_000)
  const token = readDevVars(join(root, '.dev.vars')).FABRIC_DEV_TOKEN
  return {
    url,
    token,
    health,
    /** The process group of everything the fabric runs (bench/lib/cpu.mjs reads its CPU time). */
    processGroup: child.pid,
    stop: () => stopInOrder(child),
  }
}

/** A small JSON client for the fabric's API. */
export function client(fabric) {
  return async (method, path, body) => {
    const response = await fetch(`${fabric.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${fabric.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    const text = await response.text()
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text.slice(0, 300)}`)
    return text ? JSON.parse(text) : undefined
  }
}
