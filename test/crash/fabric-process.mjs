/**
 * One local fabric (`wrangler dev`, the fabric's wrangler.toml only: the crash
 * test runs tier-1 work) over a state directory that outlives it, so the test
 * can SIGKILL workerd and start the fabric again on the same Durable Object,
 * D1, R2 and KV state.
 */
import { spawn, spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readDevVars } from '../../scripts/dev-vars.mjs'
import { stopGroup, waitForHealth } from '../../bench/lib/server.mjs'
import { freePort } from '../../scripts/free-port.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const bin = join(root, 'node_modules', '.bin')
// node_modules/.bin first, so wrangler runs on the node@22 devDependency.
const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, CI: 'true' }

function parentOf(pid) {
  // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may contain spaces, so split after the last ')'.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
}

function commandOf(pid) {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')
}

/** Every live descendant of `ancestor`, with its command line. */
function descendants(ancestor) {
  const parents = new Map()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      parents.set(Number(entry), parentOf(entry))
    } catch {
      // exited while we looked
    }
  }
  const found = []
  const frontier = [ancestor]
  while (frontier.length > 0) {
    const parent = frontier.pop()
    for (const [pid, ppid] of parents) {
      if (ppid !== parent) continue
      frontier.push(pid)
      try {
        found.push({ pid, command: commandOf(pid) })
      } catch {
        // exited while we looked
      }
    }
  }
  return found
}

export function applyMigrations(stateDir) {
  const result = spawnSync(join(bin, 'wrangler'), ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', stateDir], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  if (result.status !== 0) throw new Error('applying D1 migrations to the crash-test state failed')
}

export async function startFabric(stateDir, log) {
  const port = await freePort()
  const child = spawn(
    join(bin, 'wrangler'),
    ['dev', '-c', 'wrangler.toml', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', stateDir, '--show-interactive-dev-session=false'],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  )
  child.stdout.on('data', (chunk) => log(chunk))
  child.stderr.on('data', (chunk) => log(chunk))
  const url = `http://127.0.0.1:${port}`
  await waitForHealth(url, child, 120_000)
  const token = readDevVars(join(root, '.dev.vars')).FABRIC_DEV_TOKEN
  return {
    url,
    token,
    /** SIGKILLs the workerd process(es) under this wrangler — the crash — then the wrangler parent. */
    crash() {
      const workerd = descendants(child.pid).filter((p) => /(^|\/)workerd\s/.test(p.command))
      if (workerd.length === 0) throw new Error('no workerd process found under wrangler dev')
      for (const { pid } of workerd) process.kill(pid, 'SIGKILL')
      stopGroup(child, 'SIGKILL')
      return workerd.map((p) => p.pid)
    },
    stop() {
      stopGroup(child)
    },
    exited: new Promise((resolve) => child.on('exit', resolve)),
  }
}
