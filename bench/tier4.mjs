#!/usr/bin/env node
/**
 * Tier-4 overhead: the same command (`true`) run N times through sandboxd
 * (HTTP + auth + validation + rusage reaper + setpriv + bwrap + prlimit, at
 * level `container`) and as a bare `bwrap` with the same namespaces and
 * mounts, interleaved so machine noise hits both alike. Prints p50/p99 of
 * each and their ratio, as JSON and a table.
 *
 *   node bench/tier4.mjs            (BENCH_ITERATIONS, default 200)
 *
 * `npm run bench` imports `runBareBwrap` and `measureSandboxdOverhead` for its tier4 scenario.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { latencyFigures, sampleInterleaved } from './lib/measure.mjs'
import { report } from './lib/report.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const COMMAND = ['true']

/** The isolation sandboxd gives a `container` run, minus its extras (uid drop, rlimits, reaper). */
const BARE_BWRAP = [
  'bwrap', '--unshare-user', '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-net', '--disable-userns',
  '--die-with-parent', '--new-session',
  '--ro-bind', '/usr', '/usr', '--ro-bind', '/etc', '/etc',
  '--symlink', 'usr/bin', '/bin', '--symlink', 'usr/lib', '/lib', '--symlink', 'usr/lib64', '/lib64', '--symlink', 'usr/sbin', '/sbin',
  '--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp',
  '--', ...COMMAND,
]

export function runBareBwrap() {
  return new Promise((resolve, reject) => {
    const child = spawn(BARE_BWRAP[0], BARE_BWRAP.slice(1), { stdio: 'ignore', env: {} })
    child.once('error', reject)
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`bare bwrap exited ${code}`))))
  })
}

async function startSandboxd() {
  const secret = randomBytes(24).toString('hex')
  const stateDir = await mkdtemp(join(tmpdir(), 'bench-tier4-'))
  const child = spawn(process.execPath, [join(root, 'sandboxd', 'main.ts')], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', SANDBOXD_SECRET: secret, SANDBOXD_PORT: '0', SANDBOXD_STATE_DIR: stateDir },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  // The "listening" log line names the port sandboxd picked.
  const url = await new Promise((resolve, reject) => {
    let buffered = ''
    child.stderr.on('data', (chunk) => {
      buffered += chunk
      const match = /"message":"listening","url":"([^"]+)"/.exec(buffered)
      if (match) resolve(match[1])
    })
    child.once('exit', (code) => reject(new Error(`sandboxd exited (${code}): ${buffered}`)))
  })
  return {
    url,
    secret,
    async stop() {
      child.kill('SIGTERM')
      await new Promise((resolve) => child.once('exit', resolve))
      await rm(stateDir, { recursive: true, force: true })
    },
  }
}

/** sandboxd exec against bare bwrap, interleaved; the figures this script prints. */
export async function measureSandboxdOverhead(iterations) {
  const sandboxd = await startSandboxd()
  try {
    const execThroughSandboxd = async () => {
      const response = await fetch(`${sandboxd.url}/v1/sandboxes/bench/tier4/exec`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sandboxd.secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ argv: COMMAND }),
      })
      const result = await response.json()
      if (result.exitCode !== 0) throw new Error(`sandboxd exec failed: ${JSON.stringify(result)}`)
    }
    const stats = await sampleInterleaved({ sandboxd: execThroughSandboxd, bwrap: runBareBwrap }, { iterations, warmup: 10 })
    return {
      ...latencyFigures('tier4_sandboxd_exec', stats.sandboxd),
      ...latencyFigures('tier4_bare_bwrap', stats.bwrap),
      tier4_sandboxd_over_bwrap_p50_ratio: stats.sandboxd.p50 / stats.bwrap.p50,
      tier4_sandboxd_over_bwrap_p99_ratio: stats.sandboxd.p99 / stats.bwrap.p99,
      tier4_samples: stats.sandboxd.n,
    }
  } finally {
    await sandboxd.stop()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  report(await measureSandboxdOverhead(Number(process.env.BENCH_ITERATIONS ?? 200)))
}
