#!/usr/bin/env node
/**
 * `npm run dev`: the whole local fabric in one command.
 *
 * 1. creates .dev.vars from .dev.vars.example when it is missing,
 * 2. applies the D1 migrations to the local database,
 * 3. starts sandboxd (tier 4) when bubblewrap is installed,
 * 4. starts `wrangler dev` with the fabric and every tier-2 service
 *    (services/<name>/wrangler.toml) in one process, on 127.0.0.1:$PORT (8787),
 * and stops all of it on Ctrl-C or when any part exits.
 */
import { spawn, spawnSync } from 'node:child_process'
import { appendFileSync, copyFileSync, existsSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readDevVars } from './dev-vars.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const port = process.env.PORT ?? '8787'
const wrangler = join(root, 'node_modules', '.bin', 'wrangler')

function log(message) {
  console.log(`[dev] ${message}`)
}

/** Creates .dev.vars from the example, or adds settings the example gained since it was made. */
function ensureDevVars() {
  const target = join(root, '.dev.vars')
  const example = join(root, '.dev.vars.example')
  if (!existsSync(target)) {
    copyFileSync(example, target)
    log('created .dev.vars from .dev.vars.example (edit it to change the dev token)')
    return
  }
  const present = readDevVars(target)
  const missing = Object.entries(readDevVars(example)).filter(([key]) => !(key in present))
  if (missing.length === 0) return
  appendFileSync(target, `\n${missing.map(([key, value]) => `${key}=${value}`).join('\n')}\n`)
  log(`added ${missing.map(([key]) => key).join(', ')} to .dev.vars from .dev.vars.example`)
}

function applyMigrations() {
  const result = spawnSync(wrangler, ['d1', 'migrations', 'apply', 'DB', '--local'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, CI: 'true' },
  })
  if (result.status !== 0) throw new Error('applying D1 migrations failed; see the output above')
}

function serviceConfigs() {
  const dir = join(root, 'services')
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .map((name) => join('services', name, 'wrangler.toml'))
    .filter((config) => existsSync(join(root, config)))
    .sort()
}

const children = []
let stopping = false

function stopAll(code) {
  if (stopping) return
  stopping = true
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM')
  setTimeout(() => process.exit(code), 500).unref()
}

function start(name, command, args, env = {}) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  child.on('exit', (code, signal) => {
    if (!stopping) log(`${name} exited (${signal ?? code}); stopping the rest`)
    stopAll(code ?? 1)
  })
  children.push(child)
  return child
}

function startSandboxd(vars) {
  const entry = join(root, 'sandboxd', 'main.ts') // Node 22 runs TypeScript directly
  if (!existsSync(entry)) return
  if (spawnSync('sh', ['-c', 'command -v bwrap']).status !== 0) {
    log('bubblewrap is not installed, so tier 4 is unavailable: apt-get install -y bubblewrap')
    return
  }
  const sandboxUrl = new URL(vars.SANDBOX_URL ?? 'http://127.0.0.1:8788')
  start('sandboxd', process.execPath, [entry], {
    SANDBOXD_PORT: sandboxUrl.port,
    SANDBOXD_SECRET: vars.SANDBOXD_SECRET ?? '',
  })
}

process.on('SIGINT', () => stopAll(0))
process.on('SIGTERM', () => stopAll(0))

ensureDevVars()
applyMigrations()
startSandboxd(readDevVars(join(root, '.dev.vars')))
const configs = ['wrangler.toml', ...serviceConfigs()].flatMap((config) => ['-c', config])
log(`fabric on http://127.0.0.1:${port}`)
start('wrangler', wrangler, ['dev', ...configs, '--ip', '127.0.0.1', '--port', port, '--show-interactive-dev-session=false'])
