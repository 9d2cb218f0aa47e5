/**
 * Builtins bash has that tier 1 already implements as utilities — echo,
 * printf, test, [, true, false — run in process through the same code
 * (no router round trip), plus `printf -v var`. A utility that throws
 * UnsupportedFeature is handed to the router instead, like any stage.
 */
import { COMMANDS, usageStatus } from '../native/commands/registry'
import { UnsupportedFeature, UsageError, type CommandContext } from '../native/context'
import { OutputSink } from '../native/output'
import { ByteReader } from '../native/stream'
import { decodeUtf8 } from '../native/text'
import type { IO } from './io'
import type { Shell } from './interpreter'
import { runExternal } from './stage'

export type Builtin = (shell: Shell, args: string[], io: IO) => Promise<number>

async function runUtility(shell: Shell, name: string, args: string[], io: IO, stdout: { write(data: Uint8Array): void }): Promise<number> {
  const command = COMMANDS.get(name)
  if (!command) return runExternal(shell, name, args, [], io)
  const out = new OutputSink()
  const err = new OutputSink()
  const env = shell.vars.environment()
  const ctx: CommandContext = {
    name,
    args,
    stdin: ByteReader.of(),
    cwd: shell.cwd,
    env,
    fs: shell.fs,
    stdout: out,
    stderr: err,
    signal: shell.line.signal,
    // Commands a utility runs go through the line's router, like any stage.
    run: ([operation = '', ...rest], stdin, cwd = shell.cwd) => shell.line.deps.runStage(operation, rest, { stdin, cwd, env }),
  }
  let status: number
  try {
    status = await command(ctx)
  } catch (thrown) {
    if (thrown instanceof UnsupportedFeature) return runExternal(shell, name, args, [], io)
    if (!(thrown instanceof UsageError)) throw thrown
    err.write(thrown.bare ? `${thrown.message}\n` : `${name}: ${thrown.message}\n`)
    status = usageStatus(name)
  }
  io.stderr.write(err.bytes())
  stdout.write(out.bytes())
  return status
}

export const utility =
  (name: string): Builtin =>
  (shell, args, io) =>
    runUtility(shell, name, args, io, io.stdout)

export const printfBuiltin: Builtin = async (shell, args, io) => {
  if (args[0] !== '-v') return runUtility(shell, 'printf', args, io, io.stdout)
  const name = args[1]
  if (name === undefined || !/^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]+\])?$/.test(name)) {
    io.stderr.write(`bash: printf: \`${name ?? ''}': not a valid identifier\n`)
    return 2
  }
  const chunks: Uint8Array[] = []
  const status = await runUtility(shell, 'printf', args.slice(2), io, { write: (data) => chunks.push(data) })
  const text = chunks.map((chunk) => decodeUtf8(chunk)).join('')
  const index = /^([^[]+)\[(.+)\]$/.exec(name)
  if (index) shell.vars.set(index[1] as string, text, shell.vars.get(index[1] as string)?.value.kind === 'assoc' ? (index[2] as string) : Number(index[2]))
  else shell.vars.set(name, text)
  return status
}
