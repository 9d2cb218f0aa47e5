/**
 * awk [-F fs] [-v var=value]... ('program' | -f progfile...) [--] [file | var=value]...
 *
 * POSIX awk written for tier 1 (lexer, parser, tree-walking interpreter; no
 * eval), answering as gawk does in a UTF-8 locale. What it does not run — a
 * program it cannot parse (gawk's caret diagnostics, gawk-only syntax),
 * `cmd | getline`, `print | cmd`, system(), other options — comes back as
 * NOT_SUPPORTED so the router runs the real awk on tier 4. See docs/native.md.
 */
import { UnsupportedFeature, type Command, type CommandContext } from '../../context'
import { fsReason, resolve } from '../../io'
import { decodeUtf8 } from '../../text'
import { AwkFatal, AwkSyntaxError } from './errors'
import { Interpreter } from './execute'
import { decodeEscapes } from './lexer'
import { parseProgram } from './parser'

interface Invocation {
  fs?: string
  assignments: string[]
  programFiles: string[]
  program?: string
  operands: string[]
}

function optionValue(args: readonly string[], index: number, option: string): { value: string; next: number } {
  const arg = args[index] as string
  if (arg.length > 2) return { value: arg.slice(2), next: index + 1 }
  const value = args[index + 1]
  if (value === undefined) throw new UnsupportedFeature('awk', `${option} without its argument`)
  return { value, next: index + 2 }
}

function parseInvocation(args: readonly string[]): Invocation {
  const invocation: Invocation = { assignments: [], programFiles: [], operands: [] }
  let i = 0
  while (i < args.length) {
    const arg = args[i] as string
    if (arg === '--') {
      i++
      break
    }
    if (arg === '-' || !arg.startsWith('-')) break
    const option = arg.slice(0, 2)
    if (option !== '-F' && option !== '-v' && option !== '-f') throw new UnsupportedFeature('awk', `the option ${arg}`)
    const { value, next } = optionValue(args, i, option)
    if (option === '-F') invocation.fs = value
    else if (option === '-f') invocation.programFiles.push(value)
    else if (/^[A-Za-z_][A-Za-z0-9_]*=/s.test(value)) invocation.assignments.push(value)
    else throw new UnsupportedFeature('awk', `-v ${value} (not a var=value assignment)`)
    i = next
  }
  if (invocation.programFiles.length === 0) {
    if (i >= args.length) throw new UnsupportedFeature('awk', 'running without a program (usage message)')
    invocation.program = args[i++]
  }
  invocation.operands = args.slice(i)
  return invocation
}

async function programSource(ctx: CommandContext, invocation: Invocation): Promise<{ source: string; name: string }> {
  if (invocation.program !== undefined) return { source: invocation.program, name: 'cmd. line' }
  if (invocation.programFiles.length > 1) throw new UnsupportedFeature('awk', 'several -f program files')
  const texts: string[] = []
  for (const file of invocation.programFiles) {
    try {
      texts.push(decodeUtf8(await ctx.fs.read(resolve(ctx, file))))
    } catch (thrown) {
      throw new AwkFatal(`cannot open source file \`${file}' for reading: ${fsReason(thrown)}`, 'none')
    }
  }
  return { source: texts.join('\n'), name: invocation.programFiles[0] as string }
}

function fatalPrefix(fatal: AwkFatal, sourceName: string, interpreter: Interpreter | undefined): string {
  const line = interpreter?.line ?? 0
  if (fatal.where === 'none' || line === 0) return ''
  if (fatal.where === 'input' || !interpreter?.inMainRules) return `${sourceName}:${line}: `
  const filename = interpreter.special('FILENAME') || '-'
  return `${sourceName}:${line}: (FILENAME=${filename} FNR=${interpreter.special('FNR')}) `
}

export const awk: Command = async (ctx) => {
  const invocation = parseInvocation(ctx.args)
  const warn = (message: string) => ctx.stderr.write(`awk: ${message}\n`)
  let sourceName = 'cmd. line'
  let interpreter: Interpreter | undefined
  try {
    const { source, name } = await programSource(ctx, invocation)
    sourceName = name
    let parsed
    try {
      parsed = parseProgram(source)
    } catch (thrown) {
      if (thrown instanceof AwkSyntaxError) throw new UnsupportedFeature('awk', `this program (line ${thrown.line}: ${thrown.message})`)
      throw thrown
    }
    interpreter = new Interpreter(ctx, parsed.program, warn)
    interpreter.sourceName = sourceName
    if (invocation.fs !== undefined) {
      const decoded = decodeEscapes(invocation.fs)
      decoded.warnings.forEach(warn)
      interpreter.setVar('FS', decoded.text)
    }
    for (const assignment of invocation.assignments) interpreter.assignCommandLine(assignment)
    for (const warning of parsed.warnings) warn(`${sourceName}:${warning.line}: ${warning.message}`)
    interpreter.setArguments(invocation.operands)
    return await interpreter.run()
  } catch (thrown) {
    if (!(thrown instanceof AwkFatal)) throw thrown
    ctx.stderr.write(`awk: ${fatalPrefix(thrown, sourceName, interpreter)}fatal: ${thrown.message}\n`)
    return 2
  }
}
