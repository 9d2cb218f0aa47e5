/**
 * Starts a bench-only Worker (its own wrangler.toml) with `wrangler dev` on a
 * free port and a throw-away state directory, beside the fabric, so a scenario
 * can compare the fabric with another way of doing the same work on the same
 * local workerd build.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../../scripts/free-port.mjs'
import { stopInOrder, waitForHealth } from './server.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const wrangler = join(root, 'node_modules', '.bin', 'wrangler')

/** `config` is relative to the repository root; the Worker must answer GET /health with 200. */
export async function startWorker(config) {
  const port = await freePort()
  const state = mkdtempSync(join(tmpdir(), 'edge-fabric-bench-'))
  const child = spawn(
    wrangler,
    ['dev', '-c', config, '--ip', '127.0.0.1', '--port', String(port), '--persist-to', state, '--show-interactive-dev-session=false'],
    // node_modules/.bin first, so wrangler runs on the node@22 devDependency.
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], detached: true, env: { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH}` } },
  )
  const url = `http://127.0.0.1:${port}`
  try {
    await waitForHealth(url, child, 90_000)
  } catch (error) {
    await stop()
    throw error
  }
  async function stop() {
    await stopInOrder(child)
    rmSync(state, { recursive: true, force: true })
  }
  return { url, stop }
}
