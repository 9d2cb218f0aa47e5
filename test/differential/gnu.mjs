/**
 * Runs a differential case on the real GNU tools of this machine: a fresh
 * temp directory holding the fixtures under work/, the stages chained as a
 * pipeline (stdout → next stdin), LC_ALL=C.UTF-8 and TZ=UTC. The temp prefix
 * is cut from the output so `pwd` and `realpath` read like tier 1's /work.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { constants, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { FIXTURES } from './fixtures.mjs'

export const ENV = { PATH: '/usr/local/bin:/usr/bin:/bin', LC_ALL: 'C.UTF-8', TZ: 'UTC', HOME: '/home/agent' }

/** Sorted `path<TAB>sha256` lines (directories end in /): the resulting files of a case. */
export function snapshotLines(entries) {
  return entries
    .map(([path, content]) => (content === undefined ? `${path}/` : `${path}\t${createHash('sha256').update(content).digest('hex').slice(0, 16)}`))
    .sort()
    .join('\n')
}

function walk(root, base = '') {
  const out = []
  for (const entry of readdirSync(join(root, base), { withFileTypes: true })) {
    const path = base ? `${base}/${entry.name}` : entry.name
    if (entry.isDirectory()) out.push([path, undefined], ...walk(root, path))
    else out.push([path, readFileSync(join(root, path))])
  }
  return out
}

function materialise(dir) {
  for (const [path, content] of Object.entries(FIXTURES)) {
    const full = join(dir, path)
    if (path.endsWith('/')) mkdirSync(full, { recursive: true })
    else {
      mkdirSync(dirname(full), { recursive: true })
      writeFileSync(full, content)
    }
  }
}

export const INITIAL_SNAPSHOT = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'difh-'))
  try {
    materialise(dir)
    return snapshotLines(walk(dir))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})()

/** Bytes → { stdout } when UTF-8, else { stdoutBase64 }. */
export function encodeStdout(bytes) {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes)
  return Buffer.from(text, 'utf8').equals(Buffer.from(bytes)) ? { stdout: text } : { stdoutBase64: Buffer.from(bytes).toString('base64') }
}

export function runGnu(testCase) {
  const root = mkdtempSync(join(tmpdir(), 'difh-'))
  const work = join(root, 'work')
  try {
    mkdirSync(work)
    materialise(work)
    let input = Buffer.from(testCase.stdin ?? '')
    let status = 0
    for (const [command, ...args] of testCase.stages) {
      const result = spawnSync(command, args, { cwd: work, input, env: ENV, timeout: 10_000 })
      input = result.stdout ?? Buffer.alloc(0)
      // A tool killed by a signal (timeout -s KILL kills itself) reads as a shell would show it: 128 + the signal.
      status = result.status ?? 128 + (constants.signals[result.signal] ?? 0)
    }
    const stdout = Buffer.from(input.toString('latin1').replaceAll(root, ''), 'latin1')
    const files = snapshotLines(walk(work))
    return { ...encodeStdout(stdout), exitCode: status, ...(files === INITIAL_SNAPSHOT ? {} : { files }) }
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}
