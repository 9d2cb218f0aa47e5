/**
 * Tier-1 native utilities: the regex engine's throughput (MB/s of grep -c
 * over a file in fsx, for a plain, an alternation and the pathological
 * `(a+)+$` pattern — the last also through sed -E and awk), a seeded fuzz of random patterns showing time per byte
 * stays flat when the input grows 8× (the engine is linear), and per-utility
 * latency of a small call on tier 1. Throughput and the fuzz ratio use the
 * result's `duration` (the time inside the tier-1 executor), so the HTTP round
 * trip and the queue — hundreds of milliseconds on a loaded machine, more
 * than the matching itself — are not counted as matching time.
 */
import { summarise } from '../lib/measure.mjs'

export const name = 'native'

const exec = (api, operation, args, stdin) => api('POST', '/v1/exec', { operation, args, tier: 1, timeoutMs: 60_000, ...(stdin === undefined ? {} : { stdin }) })

/** p50 of the executor's own `duration` over `runs` calls. */
async function worked(fn, runs) {
  const samples = []
  for (let i = 0; i < runs; i++) samples.push((await fn()).duration)
  return summarise(samples).p50
}

async function timed(fn, runs) {
  const samples = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await fn()
    samples.push(performance.now() - start)
  }
  return summarise(samples).p50
}

function prng(seed) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = Math.imul(state ^ (state >>> 15), state | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function randomPattern(random) {
  const atoms = ['a', 'b', '.', '[ab]', '(a|b)', '(a+)+', '(ab|a)*', 'b?', '(a|aa)*', '[^b]']
  let pattern = ''
  for (let i = 0; i < 2 + Math.floor(random() * 4); i++) pattern += atoms[Math.floor(random() * atoms.length)]
  return random() < 0.5 ? `${pattern}$` : pattern
}

async function put(api, path, text) {
  await exec(api, 'tee', [path], text)
}

export async function run({ api, iterations }) {
  const runs = Math.max(5, Math.floor(iterations / 20))
  const words = ['alpha', 'beta', 'gamma', 'delta', 'error', 'warning', 'info', 'debug']
  const random = prng(7)
  let log = ''
  while (log.length < 2_000_000) log += `${words[Math.floor(random() * words.length)]} ${Math.floor(random() * 1e6)} ${words[Math.floor(random() * words.length)]}\n`
  await put(api, '/bench/log.txt', log)
  await put(api, '/bench/tiny.txt', 'x\n')
  const figures = {}
  const throughput = async (label, operation, args, path, bytes) => {
    const ms = await worked(() => exec(api, operation, [...args, path]), runs)
    figures[`regex_${label}_mb_per_s`] = bytes / 1e6 / (Math.max(ms, 1) / 1000)
  }
  await throughput('plain', 'grep', ['-c', 'warning 42'], '/bench/log.txt', log.length)
  await throughput('alternation', 'grep', ['-cE', 'error|warning|debug [0-9]+7'], '/bench/log.txt', log.length)
  const evil = `${'a'.repeat(10_000)}b\n`
  await put(api, '/bench/evil.txt', evil.repeat(20))
  await throughput('pathological', 'grep', ['-cE', '(a+)+$'], '/bench/evil.txt', evil.length * 20)
  await throughput('pathological_sed', 'sed', ['-nE', '/(a+)+$/p'], '/bench/evil.txt', evil.length * 20)
  await throughput('pathological_awk', 'awk', ['/(a+)+$/ {n++} END {print n+0}'], '/bench/evil.txt', evil.length * 20)
  // End to end (HTTP, queue and the call), one line of 10,000 a's and a b.
  figures.regex_pathological_10k_ms = await timed(() => exec(api, 'grep', ['-cE', '(a+)+$'], evil), runs)
  figures.regex_pathological_10k_sed_ms = await timed(() => exec(api, 'sed', ['-nE', '/(a+)+$/p'], evil), runs)
  figures.regex_pathological_10k_awk_ms = await timed(() => exec(api, 'awk', ['/(a+)+$/ {n++} END {print n+0}'], evil), runs)

  // Fuzzed linearity: time per byte at 8× the input over time per byte at 1×, worst over seeded patterns.
  const fuzz = prng(2026)
  let worst = 0
  for (let i = 0; i < 12; i++) {
    const pattern = randomPattern(fuzz)
    let line = ''
    for (let j = 0; j < 2000; j++) line += fuzz() < 0.8 ? 'a' : 'b'
    await put(api, '/bench/fuzz1.txt', `${line}\n`.repeat(25))
    await put(api, '/bench/fuzz8.txt', `${line}\n`.repeat(200))
    const small = await worked(() => exec(api, 'grep', ['-cE', pattern, '/bench/fuzz1.txt']), 3)
    const large = await worked(() => exec(api, 'grep', ['-cE', pattern, '/bench/fuzz8.txt']), 3)
    worst = Math.max(worst, Math.max(large, 1) / 8 / Math.max(small, 1))
  }
  figures.regex_fuzz_time_per_byte_ratio_8x = worst

  const latency = {
    grep: ['grep', ['-c', 'a', '/bench/tiny.txt']],
    sed: ['sed', ['s/x/y/', '/bench/tiny.txt']],
    sort: ['sort', ['/bench/tiny.txt']],
    diff: ['diff', ['/bench/tiny.txt', '/bench/tiny.txt']],
    od: ['od', ['-c', '/bench/tiny.txt']],
    expr: ['expr', ['abc', ':', 'a\\(.\\)']],
    join: ['join', ['/bench/tiny.txt', '/bench/tiny.txt']],
    column: ['column', ['-t', '/bench/tiny.txt']],
    wc: ['wc', ['/bench/tiny.txt']],
    awk: ['awk', ['{print $1}', '/bench/tiny.txt']],
    xargs: ['xargs', ['echo'], 'a b\n'],
    find: ['find', ['/bench', '-name', '*.txt']],
    split: ['split', ['-l', '1', '/bench/tiny.txt', '/bench/part-']],
    du: ['du', ['-sh', '/bench']],
    tar: ['tar', ['-cf', '/bench/t.tar', '/bench/tiny.txt']],
    timeout: ['timeout', ['5', 'wc', '-l', '/bench/tiny.txt']],
  }
  for (const [label, [operation, args, stdin]] of Object.entries(latency)) figures[`native_${label}_p50_ms`] = await timed(() => exec(api, operation, args, stdin), runs)
  return figures
}
