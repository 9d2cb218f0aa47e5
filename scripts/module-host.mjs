/**
 * The module host under `npm run dev` (issue 16, finding 6): services/module-host in a wrangler, and so
 * a workerd, of its own, so a tier-3 module's busy loop or allocation holds that process and not the
 * fabric's. The fabric reaches it as MODULE_HOST (a service binding through wrangler's dev registry)
 * with TIER3_HOST=process (src/execution/esm/module-host.ts).
 *
 * A watchdog checks it every MODULE_HOST_CHECK_MS (2 s): when it has not answered `GET /` for
 * MODULE_HOST_HANG_MS (6 s; a module spinning holds its only thread), or its workerd's resident
 * memory is over MODULE_HOST_MAX_RSS_MB (1024), its process group is killed and it is started again.
 * Each restart is logged as one `[dev]` line saying why.
 *
 * The dev registry (where wrangler processes find each other's Workers) is private to this run
 * (WRANGLER_REGISTRY_PATH, see registryEnv): two checkouts' hosts would otherwise share the name
 * edge-fabric-module-host, and a killed host's entry would keep its successor from registering for
 * 90 s (wrangler skips a name another live-looking process holds); a restart removes that entry.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './free-port.mjs'

const CHECK_MS = Number(process.env.MODULE_HOST_CHECK_MS ?? 2000)
const HANG_MS = Number(process.env.MODULE_HOST_HANG_MS ?? 6000)
const MAX_RSS_MB = Number(process.env.MODULE_HOST_MAX_RSS_MB ?? 1024)
const START_MS = 120_000
export const MODULE_HOST_CONFIG = 'services/module-host/wrangler.toml'
const MODULE_HOST_NAME = 'edge-fabric-module-host'

/** The environment both wranglers (fabric and module host) share: a dev registry of this run's own. */
export function registryEnv(port) {
  const path = join(tmpdir(), `edge-fabric-registry-${port}`)
  rmSync(path, { recursive: true, force: true })
  mkdirSync(path, { recursive: true })
  return { WRANGLER_REGISTRY_PATH: path }
}

/** Resident memory (MB) of every process in process group `pgid`, from /proc. */
function groupRssMb(pgid) {
  let kb = 0
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      // stat: "pid (comm) state ppid pgrp …"; comm may hold spaces, so split after its closing parenthesis.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== pgid) continue
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)
    } catch {
      // the process exited while being read
    }
  }
  return kb / 1024
}

/**
 * Starts the module host and its watchdog. `pipeOutput(child)` shows its output like the fabric's;
 * `vars` are `NAME:value` strings for `--var`; `persist` its `--persist-to` arguments (none: wrangler's default);
 * `env` must hold registryEnv()'s WRANGLER_REGISTRY_PATH. Answers { url, stop, kill } once it first answered.
 */
export async function superviseModuleHost({ root, wrangler, env, vars, log, pipeOutput, persist = [] }) {
  const port = String(await freePort())
  const inspectorPort = String(await freePort())
  const url = `http://127.0.0.1:${port}`
  const args = ['dev', '-c', MODULE_HOST_CONFIG, ...vars.flatMap((v) => ['--var', v]), ...persist, '--ip', '127.0.0.1', '--port', port, '--inspector-port', inspectorPort, '--show-interactive-dev-session=false']
  let child
  let stopped = false
  let checking = false
  let launchedAt = 0
  let lastAnswer = 0

  const launch = () => {
    // Its own process group, so a restart kills wrangler and the workerd it started together.
    child = spawn(wrangler, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    pipeOutput(child)
    launchedAt = Date.now()
    lastAnswer = 0
  }
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal)
    } catch {
      // already gone
    }
  }
  const restart = (why) => {
    log(`module host ${why}; restarting it (tier-3 calls answer TIMEOUT or fail meanwhile)`)
    killGroup('SIGKILL')
    rmSync(join(env.WRANGLER_REGISTRY_PATH, MODULE_HOST_NAME), { force: true })
    launch()
  }
  const answers = async () => {
    try {
      return (await fetch(url, { signal: AbortSignal.timeout(CHECK_MS) })).ok
    } catch {
      return false
    }
  }
  const watch = async () => {
    if (await answers()) lastAnswer = Date.now()
    // Starting takes seconds (a minute on a busy machine); once it answered, HANG_MS of silence is a hang.
    if (lastAnswer === 0 && Date.now() - launchedAt > START_MS) return restart(`did not start within ${START_MS / 1000} s`)
    if (lastAnswer !== 0 && Date.now() - lastAnswer > HANG_MS) return restart(`did not answer for ${Math.round((Date.now() - lastAnswer) / 1000)} s (a module holding its thread?)`)
    const rss = groupRssMb(child.pid)
    if (rss > MAX_RSS_MB) restart(`used ${Math.round(rss)} MB of resident memory, over MODULE_HOST_MAX_RSS_MB=${MAX_RSS_MB}`)
  }

  launch()
  const timer = setInterval(() => {
    if (stopped || checking) return
    checking = true
    void watch().finally(() => (checking = false))
  }, CHECK_MS)

  while (lastAnswer === 0 && Date.now() - launchedAt < START_MS) await new Promise((resolve) => setTimeout(resolve, 500))
  return {
    url,
    /** SIGTERM to wrangler alone (it stops its workerd and esbuild in order), then SIGKILL to what is left of the group. */
    stop() {
      stopped = true
      clearInterval(timer)
      return new Promise((resolve) => {
        const done = () => {
          killGroup('SIGKILL')
          resolve()
        }
        if (child.exitCode !== null || child.signalCode !== null) return done()
        child.once('exit', done)
        setTimeout(done, 3000)
        child.kill('SIGTERM')
      })
    },
    /** For a process that is exiting and cannot wait: the whole group at once. */
    kill() {
      stopped = true
      clearInterval(timer)
      killGroup('SIGKILL')
    },
  }
}
