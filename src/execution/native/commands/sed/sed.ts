/**
 * sed: -n, -e (several), -f, -E/-r, -s, -i[SUFFIX] (in place, with an
 * optional backup), over files or stdin. Files form one stream (line numbers
 * and `$` span them) unless -s or -i. A missing file is reported and skipped
 * (exit 2 at the end, as GNU). With -s or -i each file is its own stream:
 * line numbers and `$` restart.
 */
import { parseArgs } from '../../argv'
import { UsageError, type Command, type CommandContext } from '../../context'
import { fsReason, readOperand, report, resolve } from '../../io'
import { Pacer } from '../../pace'
import { decodeUtf8, splitLines } from '../../text'
import { NoPreviousRegex, SedMachine, SedOutput, type InputLine } from './execute'
import { parseScript, SedScriptError, type ScriptChunk } from './parse'

const SPEC = {
  flags: 'nErsiu',
  withValue: 'ef',
  long: {
    quiet: { key: 'n' },
    silent: { key: 'n' },
    expression: { key: 'e', value: true },
    file: { key: 'f', value: true },
    'regexp-extended': { key: 'E' },
    separate: { key: 's' },
    'in-place': { key: 'i', value: 'optional' },
    unbuffered: { key: 'u' },
    posix: { key: 'posix' },
    sandbox: { key: 'sandbox' },
  },
} as const

/** `-i.bak` (or `-ni.bak`): GNU's optional attached suffix, which getopt-style parsing cannot see. */
function splitInPlaceSuffix(args: readonly string[]): { args: string[]; suffix: string | undefined } {
  let suffix: string | undefined
  const out: string[] = []
  let options = true
  for (const arg of args) {
    if (arg === '--') options = false
    const cluster = options && /^-[a-zA-Z]*i./.exec(arg) && !/^-[a-zA-Z]*[ef]/.test(arg.slice(0, arg.indexOf('i') + 1))
    if (cluster) {
      const at = arg.indexOf('i')
      suffix = arg.slice(at + 1)
      out.push(arg.slice(0, at + 1))
    } else out.push(arg)
  }
  return { args: out, suffix }
}

function toLines(data: Uint8Array): InputLine[] {
  const { lines, endsWithNewline } = splitLines(decodeUtf8(data))
  return lines.map((text, index) => ({ text, newline: index < lines.length - 1 || endsWithNewline }))
}

async function scriptChunks(ctx: CommandContext, parsed: ReturnType<typeof parseArgs>, operands: string[]): Promise<ScriptChunk[]> {
  const chunks: ScriptChunk[] = []
  let expressions = 0
  for (const option of parsed.options) {
    if (option.key === 'e') chunks.push({ text: option.value ?? '', origin: `-e expression #${++expressions}` })
    if (option.key === 'f') {
      const file = option.value ?? ''
      try {
        const text = decodeUtf8(await readOperand(ctx, file))
        chunks.push({ text: text.endsWith('\n') ? text.slice(0, -1) : text, origin: `file ${file} line 1` })
      } catch (thrown) {
        // GNU panics (status 4) on a script file it cannot open.
        throw new SedScriptError(`couldn't open file ${file}: ${fsReason(thrown)}`, 4)
      }
    }
  }
  if (chunks.length === 0) {
    const script = operands.shift()
    if (script === undefined) throw new UsageError('Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...', true, true)
    chunks.push({ text: script, origin: '-e expression #1' })
  }
  return chunks
}

export const sed: Command = async (ctx) => {
  const { args, suffix } = splitInPlaceSuffix(ctx.args)
  const parsed = parseArgs('sed', args, SPEC)
  const operands = [...parsed.operands]
  let program
  try {
    program = parseScript(await scriptChunks(ctx, parsed, operands), parsed.has('E') || parsed.has('r'))
  } catch (thrown) {
    if (!(thrown instanceof SedScriptError)) throw thrown
    report(ctx, thrown.message)
    return thrown.status
  }
  const quiet = parsed.has('n') || program.quiet
  const inPlace = parsed.has('i')
  const backupSuffix = suffix ?? parsed.last('i')
  const separate = inPlace || parsed.has('s')
  const files = operands.length > 0 ? operands : ['-']

  let status = 0
  const inputs: Array<{ file: string; lines: InputLine[] }> = []
  for (const file of files) {
    try {
      inputs.push({ file, lines: toLines(await readOperand(ctx, file)) })
    } catch (thrown) {
      report(ctx, `can't read ${file}: ${fsReason(thrown)}`)
      status = 2
    }
  }
  const groups = separate ? inputs.map((input) => [input]) : [inputs]
  try {
    const pacer = new Pacer(ctx.signal)
    for (const group of groups) {
      ctx.signal.throwIfAborted()
      const output = new SedOutput()
      const machine = new SedMachine(program, group.flatMap((input) => input.lines), output, quiet)
      await machine.run(pacer)
      const [only] = group
      if (inPlace && only && only.file !== '-') {
        const backup = backupSuffix && (backupSuffix.includes('*') ? backupSuffix.replaceAll('*', only.file) : only.file + backupSuffix)
        try {
          if (backup) await ctx.fs.copy(resolve(ctx, only.file), resolve(ctx, backup))
          await ctx.fs.write(resolve(ctx, only.file), output.text)
        } catch (thrown) {
          report(ctx, `couldn't edit ${only.file}: ${fsReason(thrown)}`)
          return 4
        }
      } else ctx.stdout.write(output.text)
      if (machine.exitCode !== undefined) return machine.exitCode
    }
  } catch (thrown) {
    if (thrown instanceof NoPreviousRegex) throw new UsageError(thrown.message, false)
    throw thrown
  }
  return status
}
