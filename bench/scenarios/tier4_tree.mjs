/**
 * Tier 4 over a tree: before every run the sandbox sync lists the tenant's fsx to see what changed
 * (src/execution/sandbox/sync.ts). With 1,000 files in fsx, `true` on tier 4 is timed, then the tree is
 * removed and the same run timed again over the tenant's usual few files, so the difference is what the
 * tree costs each run. It cannot be interleaved (the tree is there or not), so the two are sequential.
 */
import { latencyFigures, sampleInterleaved } from '../lib/measure.mjs'

export const name = 'tier4_tree'

const FILES = 1000
const DIRECTORY = 'bench-tree'
/** Writes in flight while the tree is made. */
const WRITERS = 16

export async function run({ fabric, api, iterations }) {
  const headers = { authorization: `Bearer ${fabric.token}` }
  const put = async (i) => {
    // Ten directories of a hundred, so the tree has depth as real ones do.
    const response = await fetch(`${fabric.url}/v1/fs/${DIRECTORY}/d${i % 10}/f${i}.txt`, { method: 'PUT', headers, body: `file ${i}\n` })
    if (!response.ok) throw new Error(`PUT file ${i} → ${response.status}: ${(await response.text()).slice(0, 200)}`)
  }
  let next = 0
  await Promise.all(Array.from({ length: WRITERS }, async () => {
    while (next < FILES) await put(next++)
  }))
  const run = async () => {
    const result = await api('POST', '/v1/exec', { operation: 'true', args: [], tier: 4 })
    if (result.tier !== 4 || result.exitCode !== 0) throw new Error(`tier 4 did not run 'true': ${JSON.stringify(result).slice(0, 300)}`)
  }
  const counted = await api('POST', '/v1/exec', { command: `find /${DIRECTORY} -type f | wc -l`, tier: 4 })
  if (counted.stdout.trim() !== String(FILES)) throw new Error(`tier 4 saw ${counted.stdout.trim()} of the ${FILES} files`)
  const withTree = await sampleInterleaved({ run }, { iterations, warmup: 5 })
  const removed = await fetch(`${fabric.url}/v1/fs/${DIRECTORY}?recursive=1`, { method: 'DELETE', headers })
  if (!removed.ok) throw new Error(`DELETE /${DIRECTORY} → ${removed.status}`)
  const without = await sampleInterleaved({ run }, { iterations, warmup: 5 })
  return {
    tier4_tree_files: FILES,
    ...latencyFigures('tier4_tree', withTree.run),
    ...latencyFigures('tier4_tree_removed', without.run),
    tier4_tree_cost_per_run_p50_ms: withTree.run.p50 - without.run.p50,
  }
}
