/**
 * Runs one corpus line through the real bash in a fresh temp dir holding
 * the fixtures, and reports what a comparison needs: stdout, exit status,
 * and the files that differ from the fixtures afterwards (new or changed
 * with their text, removed by path). Shared by the recorder and the live
 * comparison test.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { run } from '../../../helpers/processes.mjs'
import { FIXTURES, LINE_TIMEOUT_MS } from './lines.mjs'

export const ENV = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/home/corpus', LC_ALL: 'C.UTF-8', TZ: 'UTC' }

function walk(root, dir = root, out = {}) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) {
      out[`${relative(root, path)}/`] = ''
      walk(root, path, out)
    } else out[relative(root, path)] = readFileSync(path, 'utf8')
  }
  return out
}

/** The difference between the tree after a line and the fixtures. */
export function treeChanges(after) {
  const before = { ...FIXTURES }
  for (const path of Object.keys(FIXTURES)) {
    const parts = path.split('/')
    for (let i = 1; i < parts.length; i++) before[`${parts.slice(0, i).join('/')}/`] = ''
  }
  const changed = {}
  for (const [path, text] of Object.entries(after)) if (before[path] !== text) changed[path] = text
  const removed = Object.keys(before).filter((path) => !(path in after)).sort()
  return { changed, removed }
}

export async function runBash(line) {
  const dir = mkdtempSync(join(tmpdir(), 'corpus-'))
  try {
    for (const [path, text] of Object.entries(FIXTURES)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true })
      writeFileSync(join(dir, path), text)
    }
    const bash = await run('bash', ['-c', line], { cwd: dir, env: ENV, input: '', timeout: LINE_TIMEOUT_MS })
    return { stdout: bash.stdout.toString('utf8'), exitCode: bash.status ?? 128 + 9, ...treeChanges(walk(dir)) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
