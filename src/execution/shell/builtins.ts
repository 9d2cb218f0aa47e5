/**
 * The builtins, by name. Flow and environment ones are here (cd, pwd,
 * exit, return, break, continue, shift, eval, source, exec, trap, yes,
 * command, type); variables and input in builtins-vars.ts; those backed by
 * tier-1 utilities in builtins-native.ts.
 */
import { isFsError } from '../fsx/errors'
import { resolvePath } from '../fsx/paths'
import { decodeUtf8, encodeUtf8 } from '../native/text'
import { BreakLoop, ContinueLoop, ExitShell, ReturnFromFunction } from './control'
import { ParseError } from './errors'
import type { Shell } from './interpreter'
import { parseCommandLine } from './parser'
import { printfBuiltin, utility, type Builtin } from './builtins-native'
import { VARIABLE_BUILTINS } from './builtins-vars'
import { runExternal } from './stage'

const statusArg = (shell: Shell, arg: string | undefined, io: Parameters<Builtin>[2], name: string): number | undefined => {
  if (arg === undefined) return shell.lastStatus
  if (!/^-?\d+$/.test(arg)) {
    io.stderr.write(`bash: ${name}: ${arg}: numeric argument required\n`)
    return undefined
  }
  return Number(BigInt.asUintN(8, BigInt(arg)))
}

const cd: Builtin = async (shell, args, io) => {
  const operands = args.filter((arg) => arg !== '-P' && arg !== '-L' && arg !== '--')
  if (operands.length > 1) {
    io.stderr.write('bash: cd: too many arguments\n')
    return 1
  }
  const [operand] = operands
  const target = operand === undefined ? (shell.vars.scalar('HOME') ?? '/') : operand === '-' ? (shell.vars.scalar('OLDPWD') ?? shell.cwd) : operand
  try {
    const path = resolvePath(shell.cwd, target)
    const stat = await shell.fs.stat(path)
    if (stat.type !== 'directory') {
      io.stderr.write(`bash: cd: ${target}: Not a directory\n`)
      return 1
    }
    shell.vars.set('OLDPWD', shell.cwd)
    shell.vars.set('PWD', path)
    shell.cwd = path
    if (operand === '-') io.stdout.write(`${path}\n`)
    return 0
  } catch (thrown) {
    if (!isFsError(thrown)) throw thrown
    io.stderr.write(`bash: cd: ${target}: ${thrown.reason}\n`)
    return 1
  }
}

const loopControl =
  (kind: 'break' | 'continue'): Builtin =>
  async (shell, args, io) => {
    const levels = args[0] === undefined ? 1 : Number(args[0])
    if (!Number.isInteger(levels) || levels < 1) {
      io.stderr.write(`bash: ${kind}: ${args[0]}: loop count out of range\n`)
      return 1
    }
    if (shell.loopDepth === 0) return 0
    throw kind === 'break' ? new BreakLoop(Math.min(levels, shell.loopDepth)) : new ContinueLoop(Math.min(levels, shell.loopDepth))
  }

/** Parses and runs shell text in the current shell (eval, source). */
async function runText(shell: Shell, text: string, io: Parameters<Builtin>[2], name: string): Promise<number> {
  let list
  try {
    list = parseCommandLine(text)
  } catch (thrown) {
    if (!(thrown instanceof ParseError)) throw thrown
    io.stderr.write(`bash: ${name}: line ${thrown.line}: ${thrown.reason}\n`)
    return 2
  }
  shell.lastStatus = 0
  await shell.runList(list, io)
  return shell.lastStatus
}

const source: Builtin = async (shell, args, io) => {
  const [file, ...rest] = args
  if (file === undefined) {
    io.stderr.write('bash: source: filename argument required\n')
    return 2
  }
  let text: string
  try {
    text = decodeUtf8(await shell.fs.read(resolvePath(shell.cwd, file)))
  } catch (thrown) {
    if (!isFsError(thrown)) throw thrown
    io.stderr.write(`bash: ${file}: ${thrown.reason}\n`)
    return 1
  }
  const saved = shell.positional
  if (rest.length > 0) shell.positional = rest
  try {
    return await runText(shell, text, io, file)
  } catch (thrown) {
    if (thrown instanceof ReturnFromFunction) return thrown.status
    throw thrown
  } finally {
    if (rest.length > 0) shell.positional = saved
  }
}

const trap: Builtin = async (shell, args) => {
  const [action, ...signals] = args
  if (action === undefined || action === '-p') return 0
  for (const signal of signals.length > 0 ? signals : []) {
    const name = signal === '0' ? 'EXIT' : signal.replace(/^SIG/, '')
    if (action === '-') shell.traps.delete(name)
    else shell.traps.set(name, action)
  }
  return 0
}

const yes: Builtin = async (shell, args, io) => {
  const line = encodeUtf8(`${args.length > 0 ? args.join(' ') : 'y'}\n`)
  const block = new Uint8Array(Math.max(1, Math.floor(65536 / line.length)) * line.length)
  for (let i = 0; i < block.length; i += line.length) block.set(line, i)
  // Runs until its reader closes the pipe (BrokenPipe, like yes(1) until SIGPIPE) or the output cap; waits while the pipe is full.
  for (;;) {
    io.stdout.write(block)
    await io.stdout.drain()
    await shell.tick()
  }
}

const commandBuiltin: Builtin = async (shell, args, io) => {
  if (args[0] === '-v' || args[0] === '-V') {
    let status = 0
    for (const name of args.slice(1)) {
      if (BUILTINS.has(name) || shell.functions.has(name)) io.stdout.write(`${name}\n`)
      else status = 1
    }
    return status
  }
  const [name, ...rest] = args
  if (name === undefined) return 0
  const builtin = BUILTINS.get(name)
  if (builtin) return builtin(shell, rest, io)
  return runExternal(shell, name, rest, [], io)
}

const type: Builtin = async (shell, args, io) => {
  let status = 0
  for (const name of args.filter((arg) => !arg.startsWith('-'))) {
    if (shell.functions.has(name)) io.stdout.write(`${name} is a function\n`)
    else if (BUILTINS.has(name)) io.stdout.write(`${name} is a shell builtin\n`)
    else {
      io.stderr.write(`bash: type: ${name}: not found\n`)
      status = 1
    }
  }
  return status
}

export const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  [':', async () => 0],
  ['true', async () => 0],
  ['false', async () => 1],
  ['echo', utility('echo')],
  ['printf', printfBuiltin],
  ['test', utility('test')],
  ['[', utility('[')],
  ['pwd', async (shell, _args, io) => (io.stdout.write(`${shell.cwd}\n`), 0)],
  ['cd', cd],
  ['exit', async (shell, args, io) => {
    const status = statusArg(shell, args[0], io, 'exit')
    throw new ExitShell(status ?? 2)
  }],
  ['return', async (shell, args, io) => {
    const status = statusArg(shell, args[0], io, 'return')
    throw new ReturnFromFunction(status ?? 2)
  }],
  ['break', loopControl('break')],
  ['continue', loopControl('continue')],
  ['shift', async (shell, args, io) => {
    const count = args[0] === undefined ? 1 : Number(args[0])
    if (!Number.isInteger(count) || count < 0) {
      io.stderr.write(`bash: shift: ${args[0]}: numeric argument required\n`)
      return 1
    }
    if (count > shell.positional.length) return 1
    shell.positional = shell.positional.slice(count)
    return 0
  }],
  ['eval', (shell, args, io) => runText(shell, args.join(' '), io, 'eval')],
  ['source', source],
  ['.', source],
  ['trap', trap],
  ['yes', yes],
  ['command', commandBuiltin],
  ['type', type],
  ['wait', async () => 0],
  ...VARIABLE_BUILTINS,
])
