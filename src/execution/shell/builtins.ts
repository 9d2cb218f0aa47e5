/**
 * The commands a shell must run itself because they change the shell:
 * cd, export, unset, exit and `:`. Every variable of this shell is passed to
 * the commands it runs (they all count as exported).
 */
import type { FileSystem } from '../../../types/execution'
import { isFsError } from '../fsx/errors'
import { resolvePath } from '../fsx/paths'

export interface ShellState {
  cwd: string
  variables: Map<string, string>
  /** Set by `exit`: stop running the list with this status. */
  exitRequested?: number
}

export interface BuiltinOutcome {
  status: number
  stdout: string
  stderr: string
}

type Builtin = (args: readonly string[], state: ShellState, fs: FileSystem) => Promise<BuiltinOutcome>

const ok = (stdout = ''): BuiltinOutcome => ({ status: 0, stdout, stderr: '' })
const failed = (stderr: string, status = 1): BuiltinOutcome => ({ status, stdout: '', stderr: `sh: ${stderr}\n` })
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`
}

const cd: Builtin = async (args, state, fs) => {
  const [operand, extra] = args
  if (extra !== undefined) return failed('cd: too many arguments')
  const target = operand === undefined ? (state.variables.get('HOME') ?? '/') : operand === '-' ? (state.variables.get('OLDPWD') ?? state.cwd) : operand
  try {
    const path = resolvePath(state.cwd, target)
    const stat = await fs.stat(path)
    if (stat.type !== 'directory') return failed(`cd: ${target}: Not a directory`)
    state.variables.set('OLDPWD', state.cwd)
    state.variables.set('PWD', path)
    state.cwd = path
    return ok(operand === '-' ? `${path}\n` : '')
  } catch (thrown) {
    if (isFsError(thrown)) return failed(`cd: ${target}: ${thrown.reason}`)
    throw thrown
  }
}

const exportBuiltin: Builtin = async (args, state) => {
  if (args.length === 0 || (args.length === 1 && args[0] === '-p')) {
    return ok([...state.variables].map(([name, value]) => `export ${name}=${shellQuote(value)}\n`).join(''))
  }
  for (const arg of args) {
    const eq = arg.indexOf('=')
    const name = eq === -1 ? arg : arg.slice(0, eq)
    if (!NAME.test(name)) return failed(`export: '${arg}': not a valid identifier`)
    if (eq !== -1) state.variables.set(name, arg.slice(eq + 1))
    else if (!state.variables.has(name)) state.variables.set(name, '')
  }
  return ok()
}

const unset: Builtin = async (args, state) => {
  for (const name of args) if (name !== '-v') state.variables.delete(name)
  return ok()
}

const exit: Builtin = async (args, state) => {
  const [code] = args
  if (code !== undefined && !/^\d+$/.test(code)) return failed(`exit: ${code}: numeric argument required`, 2)
  state.exitRequested = code === undefined ? -1 : Number(code) & 255
  return ok()
}

export const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ['cd', cd],
  ['export', exportBuiltin],
  ['unset', unset],
  ['exit', exit],
  [':', async () => ok()],
])
