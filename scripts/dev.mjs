#!/usr/bin/env node
/**
 * `npm run dev`: the whole local fabric in one command.
 *
 * 1. creates .dev.vars from .dev.vars.example when it is missing,
 * 2. applies the D1 migrations to the local database,
 * 3. starts sandboxd (tier 4) when bubblewrap is installed, on a free port
 *    of its own (unless .dev.vars names SANDBOX_URL), so two checkouts run
 *    side by side with no configuration,
 * 4. starts the module host (services/module-host) in a wrangler of its own, where tier-3
 *    modules run, and restarts it when it hangs or grows (scripts/module-host.mjs);
 *    TIER3_HOST=off keeps tier 3 in the fabric's process instead,
 * 5. starts `wrangler dev` with the fabric and every tier-2 service
 *    (services/<name>/wrangler.toml) in one process, on 127.0.0.1:$PORT (8787),
 * 6. prints one short block once /health answers: the URLs, where the token
 *    is and which tiers are up. Wrangler's banners, per-request lines and
 *    telemetry are off (LOG_LEVEL=info and WRANGLER_LOG=info bring logs back;
 *    wrangler's lines are printed without query strings, where a stream token may be),
 * and stops all of it on Ctrl-C or when any part exits.
 *
 * DEV_PERSIST_TO=<dir> keeps the local D1/R2/KV/Durable Object state (and
 * sandboxd's work dirs) there instead of .wrangler/state and .sandboxd (the
 * docs-examples test starts fabrics on fresh state). DEV_VARS_FILE=<file>
 * reads the secrets from that file instead of .dev.vars (created from the
 * example the same way), so the tests never read a developer's .dev.vars.
 */
import { spawn, spawnSync } from 'node:child_process'
import { appendFileSync, copyFileSync, existsSync, readdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { readDevVars } from './dev-vars.mjs'
import { withoutQueryStrings } from './log-filter.mjs'
import { freePort } from './free-port.mjs'
import { MODULE_HOST_CONFIG, registryEnv, superviseModuleHost } from './module-host.mjs'
import { buildServices } from './build-services.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const port = process.env.PORT ?? '8787'
const wrangler = join(root, 'node_modules', '.bin', 'wrangler')
const persist = process.env.DEV_PERSIST_TO ? ['--persist-to', process.env.DEV_PERSIST_TO] : []
const devVars = process.env.DEV_VARS_FILE ? resolve(process.env.DEV_VARS_FILE) : join(root, '.dev.vars')
/** Wrangler reads .dev.vars beside wrangler.toml unless told to read another file. */
const envFile = process.env.DEV_VARS_FILE ? ['--env-file', devVars] : []

function log(message) {
  console.log(`[dev] ${message}`)
}

/** Creates .dev.vars from the example, or adds settings the example gained since it was made. */
function ensureDevVars() {
  const target = devVars
  const example = join(root, '.dev.vars.example')
  if (!existsSync(target)) {
    copyFileSync(example, target)
    log(`created ${process.env.DEV_VARS_FILE ?? '.dev.vars'} from .dev.vars.example (edit it to change the dev token)`)
    return
  }
  const present = readDevVars(target)
  const missing = Object.entries(readDevVars(example)).filter(([key]) => !(key in present))
  if (missing.length === 0) return
  appendFileSync(target, `\n${missing.map(([key, value]) => `${key}=${value}`).join('\n')}\n`)
  log(`added ${missing.map(([key]) => key).join(', ')} to ${process.env.DEV_VARS_FILE ?? '.dev.vars'} from .dev.vars.example`)
}

/** Wrangler without its banner, update nag, telemetry or the `Request.cf` lookup (this machine may have no internet). */
const QUIET_WRANGLER = {
  // The fabric finds the module host through a dev registry of this run's own (scripts/module-host.mjs).
  ...registryEnv(port),
  WRANGLER_HIDE_BANNER: 'true',
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_LOG: process.env.WRANGLER_LOG ?? 'warn',
  // Wrangler's local observability collector streams a trace of every invocation (each request, each Durable
  // Object call) to a collector worker in the same workerd: about a third of the fabric's CPU per exec, for a
  // local explorer the fabric does not use. X_LOCAL_OBSERVABILITY=true npm run dev brings it back.
  X_LOCAL_OBSERVABILITY: process.env.X_LOCAL_OBSERVABILITY ?? 'false',
}

/**
 * Applies pending migrations; wrangler's tables are shown only when it fails.
 * Tried three times: two servers started at once in one checkout share the local
 * database, and the slower one finds the other's migration rows.
 */
function applyMigrations(attemptsLeft = 3) {
  const result = spawnSync(wrangler, ['d1', 'migrations', 'apply', 'DB', '--local', ...persist], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...QUIET_WRANGLER, WRANGLER_LOG: 'log', CI: 'true' },
  })
  const output = `${result.stdout}${result.stderr}`
  if (result.status !== 0 && attemptsLeft > 1) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3000) // let the other server's apply finish
    return applyMigrations(attemptsLeft - 1)
  }
  if (result.status !== 0) {
    process.stderr.write(output)
    throw new Error('applying D1 migrations failed; see the output above')
  }
  const applied = (output.match(/commands executed successfully/g) ?? []).length
  return applied === 0 ? 'D1 schema up to date' : `D1: ${applied} migration(s) applied`
}

function serviceConfigs() {
  const dir = join(root, 'services')
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .map((name) => join('services', name, 'wrangler.toml'))
    .filter((config) => existsSync(join(root, config)) && config !== MODULE_HOST_CONFIG)
    .sort()
}

const children = []
let stopping = false
let moduleHost

/** Stops every part and exits once they have all gone (wrangler tears down workerd and esbuild itself), or after 10 s. */
function stopAll(code) {
  if (stopping) return
  stopping = true
  const hostStopped = moduleHost?.stop()
  const running = children.filter((child) => child.exitCode === null && child.signalCode === null)
  for (const child of running) child.kill('SIGTERM')
  Promise.all([hostStopped, ...running.map((child) => new Promise((resolve) => child.once('exit', resolve)))]).then(() => process.exit(code))
  setTimeout(() => process.exit(code), 10_000).unref()
}

function filtered(stream, out) {
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => out.write(`${withoutQueryStrings(line)}\n`))
}

/** Starts the module host (tier 3 out of the fabric's process) unless TIER3_HOST=off; answers the fabric's --var for it. */
async function startModuleHost(vars) {
  if (process.env.TIER3_HOST === 'off') return []
  await buildServices(['module-host'])
  moduleHost = await superviseModuleHost({
    root,
    // State of its own beside the fabric's: two servers on DEV_PERSIST_TO dirs in one checkout
    // otherwise open the same .wrangler/state database and one fails to start (SQLITE_BUSY).
    persist: process.env.DEV_PERSIST_TO ? ['--persist-to', join(process.env.DEV_PERSIST_TO, 'module-host')] : [],
    wrangler,
    env: QUIET_WRANGLER,
    vars: vars.EGRESS_ALLOW_INTERNAL_HOSTS ? [`EGRESS_ALLOW_INTERNAL_HOSTS:${vars.EGRESS_ALLOW_INTERNAL_HOSTS}`] : [],
    log,
    pipeOutput: (child) => {
      filtered(child.stdout, process.stdout)
      filtered(child.stderr, process.stderr)
    },
  })
  return ['TIER3_HOST:process']
}

function start(name, command, args, env = {}, { filterUrls = false } = {}) {
  const stdio = filterUrls ? ['inherit', 'pipe', 'pipe'] : 'inherit'
  const child = spawn(command, args, { cwd: root, stdio, env: { ...process.env, ...env } })
  if (filterUrls) {
    filtered(child.stdout, process.stdout)
    filtered(child.stderr, process.stderr)
  }
  child.on('exit', (code, signal) => {
    if (!stopping) log(`${name} exited (${signal ?? code}); stopping the rest`)
    stopAll(code ?? 1)
  })
  children.push(child)
  return child
}

/** Starts sandboxd and answers the URL the fabric reaches it at; undefined when tier 4 cannot run here. */
async function startSandboxd(vars) {
  const entry = join(root, 'sandboxd', 'main.ts') // Node 22 runs TypeScript directly
  if (!existsSync(entry)) return undefined
  if (spawnSync('sh', ['-c', 'command -v bwrap']).status !== 0) {
    log('bubblewrap is not installed, so tier 4 is unavailable: apt-get install -y bubblewrap')
    return undefined
  }
  // A fixed port would collide with the sandboxd of another checkout's `npm run dev`.
  const sandboxUrl = vars.SANDBOX_URL ? new URL(vars.SANDBOX_URL) : new URL(`http://127.0.0.1:${await freePort()}`)
  start('sandboxd', process.execPath, [entry], {
    SANDBOXD_PORT: sandboxUrl.port,
    SANDBOXD_SECRET: vars.SANDBOXD_SECRET ?? '',
    // Work dirs are keyed by tenant and agent: a server on state of its own keeps its sandboxes there too.
    ...(process.env.DEV_PERSIST_TO ? { SANDBOXD_STATE_DIR: join(process.env.DEV_PERSIST_TO, 'sandboxd') } : {}),
    SANDBOXD_LOG_LEVEL: process.env.LOG_LEVEL === 'info' || process.env.LOG_LEVEL === 'debug' ? 'info' : 'error',
  })
  await waitForSandboxd(sandboxUrl.origin, vars.SANDBOXD_SECRET ?? '')
  return sandboxUrl.origin
}

/**
 * Waits (up to 30 s) until sandboxd answers its health check, so the fabric's first
 * look at tier 4 finds it up: on a busy machine Node takes seconds to load sandboxd.
 */
async function waitForSandboxd(url, secret) {
  for (let waited = 0; waited < 30_000 && !stopping; waited += 250) {
    try {
      if ((await fetch(`${url}/v1/health`, { headers: { authorization: `Bearer ${secret}` } })).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  if (!stopping) log(`sandboxd did not answer on ${url} within 30 s; tier 4 may show as down`)
}

/** Waits for /health (wrangler builds for a few seconds), then says what is up in one block. */
async function announce(sandboxUrl) {
  const base = `http://127.0.0.1:${port}`
  for (let waited = 0; waited < 120_000 && !stopping; waited += 500) {
    try {
      const health = await (await fetch(`${base}/health`)).json()
      const tiers = health.tiers.map((t) => `${t.tier} ${t.name} ${t.available ? 'up' : 'down'}`).join(', ')
      console.log(
        [
          `[dev] edge-fabric ${health.version} is ready`,
          `  API      ${base}   (curl ${base}/health)`,
          `  console  ${base}/`,
          `  token    FABRIC_DEV_TOKEN in ${process.env.DEV_VARS_FILE ?? '.dev.vars'} (admin of tenant "dev")`,
          `  tiers    ${tiers}${sandboxUrl ? ` (sandboxd on ${sandboxUrl})` : ''}${moduleHost ? ` (tier-3 module host on ${moduleHost.url})` : ''}`,
          `  logs     LOG_LEVEL=info WRANGLER_LOG=info npm run dev for one line per request; Ctrl-C stops all`,
        ].join('\n'),
      )
      return
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
  }
  if (!stopping) log(`no answer from ${base}/health after 2 minutes; see wrangler's output above`)
}

process.on('SIGINT', () => stopAll(0))
// The module host is a process group of its own: it must not outlive this script.
process.on('exit', () => moduleHost?.kill())
process.on('SIGTERM', () => stopAll(0))

ensureDevVars()
log(applyMigrations())
const secrets = readDevVars(devVars)
const sandboxUrl = await startSandboxd(secrets)
const tier3Vars = await startModuleHost(secrets)
const configs = ['wrangler.toml', ...serviceConfigs()].flatMap((config) => ['-c', config])
// BENCH_BARE_ROUTE=on (set by `npm run bench`) serves the bare hello-world route the figures are compared with.
const vars = [
  ...(sandboxUrl ? [`SANDBOX_URL:${sandboxUrl}`] : []),
  `LOG_LEVEL:${process.env.LOG_LEVEL ?? 'warn'}`,
  ...tier3Vars,
  ...(process.env.BENCH_BARE_ROUTE === 'on' ? ['BENCH_BARE_ROUTE:on'] : []),
].flatMap((v) => ['--var', v])
log(`starting on http://127.0.0.1:${port} …`)
// Wrangler prefers inspector port 9229 when it looks free: two servers started at once both take it and one dies.
const inspectorPort = String(await freePort())
start('wrangler', wrangler, ['dev', ...configs, ...vars, ...envFile, ...persist, '--ip', '127.0.0.1', '--port', port, '--inspector-port', inspectorPort, '--show-interactive-dev-session=false'], QUIET_WRANGLER, { filterUrls: true })
void announce(sandboxUrl)
