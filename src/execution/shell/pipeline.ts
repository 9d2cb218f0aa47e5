/**
 * Pipelines of two or more commands. Each stage runs in its own subshell
 * (bash without lastpipe) and its output, capped at OUTPUT_CAP_BYTES, is the
 * next stage's input. A producer that fills the pipe stops there, as a
 * process killed by SIGPIPE would (status 141 in PIPESTATUS and for
 * pipefail), and its consumer sees a prefix of the stream. The consumer's
 * answer is used only when a prefix provably gives the same answer as the
 * whole stream — `head -n N` / `head -c N` that found N lines or bytes,
 * `grep -q` that matched; otherwise the line fails with OUTPUT_TRUNCATED and
 * says so, rather than answering from cut data.
 */
import type { Command, Pipeline } from './ast'
import { plainText } from './parser'
import { BufferSink, Input, OUTPUT_CAP_BYTES, SinkFull, type IO } from './io'
import type { Shell } from './interpreter'
import { StageTruncated } from './stage'

/** bash's status for a process killed by SIGPIPE. */
export const SIGPIPE_STATUS = 141

/** What a prefix-only consumer needs to have read; undefined when the command is not one. */
function prefixNeed(command: Command): { kind: 'lines' | 'bytes'; count: number } | { kind: 'match' } | undefined {
  // A reader whose stdin is redirected elsewhere does not read the pipe at all.
  if (command.kind !== 'command' || command.redirects.some((redirect) => redirect.fd === 0)) return undefined
  const argv = command.words.map(plainText)
  if (argv.some((word) => word === undefined)) return undefined
  const [name, ...args] = argv as string[]
  if (name === 'grep' && args.some((arg) => /^-[a-zA-Z]*q/.test(arg) || arg === '--quiet')) return { kind: 'match' }
  if (name !== 'head') return undefined
  const text = args.join(' ')
  if (args.length === 0) return { kind: 'lines', count: 10 }
  const lines = /^(?:-n ?|-|--lines=)(\d+)$/.exec(text)
  if (lines) return { kind: 'lines', count: Number(lines[1]) }
  const bytes = /^(?:-c ?|--bytes=)(\d+)$/.exec(text)
  return bytes ? { kind: 'bytes', count: Number(bytes[1]) } : undefined
}

/** How much a prefix reader takes, so its writer can stop there (as `head` closing the pipe stops it). */
function enoughFor(reader: Command): { lines?: number; bytes?: number } | undefined {
  const need = prefixNeed(reader)
  if (!need || need.kind === 'match') return undefined
  return need.kind === 'lines' ? { lines: need.count } : { bytes: need.count }
}

function countNewlines(bytes: Uint8Array): number {
  let count = 0
  for (const byte of bytes) if (byte === 10) count++
  return count
}

function prefixSuffices(command: Command, input: Uint8Array, status: number): boolean {
  const need = prefixNeed(command)
  if (!need) return false
  if (need.kind === 'match') return status === 0
  return need.kind === 'lines' ? countNewlines(input) >= need.count : input.length >= need.count
}

async function runStage(shell: Shell, command: Command, io: IO): Promise<{ status: number; stopped: boolean }> {
  const child = shell.subshell()
  try {
    await child.runIsolated({ kind: 'list', items: [{ node: { kind: 'pipeline', negated: false, commands: [command], stderrPiped: [] }, background: false }] }, io)
    return { status: child.lastStatus, stopped: false }
  } catch (thrown) {
    const pipe = io.stdout instanceof BufferSink && io.stdout.full
    if ((thrown instanceof SinkFull && pipe) || thrown instanceof StageTruncated) return { status: SIGPIPE_STATUS, stopped: true }
    throw thrown
  }
}

function truncatedPipe(shell: Shell, index: number): never {
  return shell.abort('OUTPUT_TRUNCATED', `stage ${index} of a pipeline wrote more than ${OUTPUT_CAP_BYTES} bytes, and stage ${index + 1} needs all of it; narrow the producer (head, grep) or run the line on tier 4`)
}

export async function runPipelineStages(shell: Shell, pipeline: Pipeline, io: IO): Promise<number> {
  const statuses: number[] = []
  let input = io.stdin
  let inputBytes: Uint8Array | undefined
  let cut = false
  for (const [index, command] of pipeline.commands.entries()) {
    const last = index === pipeline.commands.length - 1
    const out = last ? io.stdout : new BufferSink(OUTPUT_CAP_BYTES, `the pipe after stage ${index + 1}`, enoughFor(pipeline.commands[index + 1] as Command))
    const stderr = pipeline.stderrPiped[index] ? out : io.stderr
    if (cut && !prefixNeed(command)) truncatedPipe(shell, index)
    const { status, stopped } = await runStage(shell, command, { stdin: input, stdout: out, stderr })
    if (stopped && last) throw new StageTruncated('the pipeline')
    if (cut && !prefixSuffices(command, inputBytes ?? new Uint8Array(0), status)) truncatedPipe(shell, index)
    statuses.push(status)
    if (last) break
    inputBytes = (out as BufferSink).bytes()
    input = new Input(inputBytes)
    cut = stopped
  }
  shell.vars.setValue('PIPESTATUS', { kind: 'array', items: new Map(statuses.map((status, i) => [i, String(status)])) })
  const lastStatus = statuses[statuses.length - 1] ?? 0
  if (!shell.options.pipefail) return lastStatus
  return [...statuses].reverse().find((status) => status !== 0) ?? 0
}
