/**
 * Pipelines of two or more commands. Every stage runs at once in its own
 * subshell (bash without lastpipe), connected to the next by a bounded pipe
 * (native/stream.ts): a producer runs at most a pipe's high-water mark ahead
 * of its consumer, so `yes | head -3` and `seq 1 100000000 | head -1` end as
 * soon as head has its lines, in bounded memory. When a stage ends, the
 * reading end of its input pipe closes: its producer's next write fails as
 * SIGPIPE would, and the producer's status is 141 (in PIPESTATUS and for
 * pipefail). When a stage ends, its output pipe closes too, so its consumer
 * sees end of input. A stage that fails the whole line (deadline, output
 * cap) closes its pipes the same way, so its neighbours end, and the line
 * then fails with that stage's error.
 */
import type { StageSummary } from '../../../types/execution'
import type { Command, Pipeline } from './ast'
import type { IO } from './io'
import type { Shell } from './interpreter'
import { SIGPIPE_STATUS } from '../native/executor'
import { BrokenPipe, BytePipe, ByteReader } from '../native/stream'

async function runStage(shell: Shell, command: Command, io: IO, log: StageSummary[]): Promise<number> {
  const child = shell.subshell()
  child.stageLog = log
  try {
    await child.runIsolated({ kind: 'list', items: [{ node: { kind: 'pipeline', negated: false, commands: [command], stderrPiped: [] }, background: false }] }, io)
    return child.lastStatus
  } catch (thrown) {
    if (thrown instanceof BrokenPipe) return SIGPIPE_STATUS
    throw thrown
  }
}

export async function runPipelineStages(shell: Shell, pipeline: Pipeline, io: IO): Promise<number> {
  const last = pipeline.commands.length - 1
  const pipes = pipeline.commands.slice(1).map(() => new BytePipe())
  // Stages finish in any order; their summaries are kept apart and reported in pipeline order.
  const logs = pipeline.commands.map((): StageSummary[] => [])
  const running = pipeline.commands.map(async (command, index) => {
    const input = index > 0 ? pipes[index - 1] : undefined
    const output = index < last ? pipes[index] : undefined
    const stdout = output ? output.writer() : io.stdout
    const stderr = pipeline.stderrPiped[index] ? stdout : io.stderr
    try {
      return await runStage(shell, command, { stdin: input ? ByteReader.fromPipe(input) : io.stdin, stdout, stderr }, logs[index] as StageSummary[])
    } finally {
      input?.cancel()
      output?.close()
    }
  })
  const settled = await Promise.allSettled(running)
  for (const log of logs) shell.stageLog.push(...log)
  const failed = settled.find((outcome) => outcome.status === 'rejected')
  if (failed) throw failed.reason
  const statuses = settled.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : 1))
  shell.vars.setValue('PIPESTATUS', { kind: 'array', items: new Map(statuses.map((status, i) => [i, String(status)])) })
  const lastStatus = statuses[last] ?? 0
  if (!shell.options.pipefail) return lastStatus
  return [...statuses].reverse().find((status) => status !== 0) ?? 0
}
