/**
 * The tier-1 shell: lines per second for a mixed set of agent-style lines
 * (loops, functions, $(…), arithmetic, here-documents, parameter operators,
 * pipelines) through POST /v1/exec, and the in-process share of the shell
 * corpus (test/execution/shell/corpus): the lines whose result and every
 * stage stayed on tier 1 — neither sent whole to tier 4 nor with a stage
 * routed up.
 */
import { throughput } from '../lib/measure.mjs'
import { corpusLines } from '../../test/execution/shell/corpus/lines.mjs'

export const name = 'shell'

const MIXED = [
  'for i in 1 2 3 4 5; do echo "line $i"; done | wc -l',
  'f() { local x=$1; echo $((x * x)); }; for n in 1 2 3; do f $n; done',
  'x=abc.tar.gz; echo ${x%%.*} ${x##*.} ${#x}',
  'echo "$(echo hi | tr a-z A-Z) there"',
  'case report.pdf in *.pdf) echo pdf;; *) echo other;; esac',
  'total=0; for n in $(seq 1 50); do total=$((total + n)); done; echo $total',
  'cat <<EOF | sort\nb\na\nc\nEOF',
  'arr=(c a b); for x in "${arr[@]}"; do echo $x; done | sort | head -n 1',
  '[[ v1.2.3 =~ ^v([0-9]+)\\. ]] && echo ${BASH_REMATCH[1]}',
  'printf "%s,%d\\n" a 1 b 2 | cut -d, -f2 | tr "\\n" " "',
  'yes | head -3',
  'seq 1 100000000 | head -1',
]

export async function run({ api, iterations }) {
  const total = Math.max(iterations, MIXED.length)
  const perSecond = await throughput(total, 4, async (i) => {
    const result = await api('POST', '/v1/exec', { command: MIXED[i % MIXED.length], backend: 'memory' })
    if (result.tier !== 1 || !result.ok) throw new Error(`expected tier 1 ok for ${MIXED[i % MIXED.length]}: ${JSON.stringify(result).slice(0, 300)}`)
  })
  const lines = corpusLines()
  let inProcess = 0
  await throughput(lines.length, 4, async (i) => {
    const result = await api('POST', '/v1/exec', { command: lines[i], backend: 'memory', timeoutMs: 10_000 })
    if (result.tier === 1 && (result.stages ?? []).every((stage) => stage.tier === 1)) inProcess++
  })
  return {
    shell_mixed_lines_per_s: perSecond,
    shell_corpus_lines: lines.length,
    shell_corpus_in_process_share: inProcess / lines.length,
  }
}
