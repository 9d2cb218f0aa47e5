/**
 * Builtins about variables and input: export, readonly, declare/typeset,
 * local, unset, set, shopt, let, read, mapfile/readarray. Declaration
 * builtins take `name=value` arguments as assignments (no splitting of the
 * value, `a=(…)` arrays allowed), as bash does.
 */
import type { Word } from './ast'
import { assign } from './assign'
import type { Builtin } from './builtins-native'
import { mapfile, readBuiltin } from './builtins-read'
import { arithmeticFromText, expandWords } from './expand'
import type { ShellOptions } from './expansion-types'
import type { IO } from './io'
import type { Shell } from './interpreter'
import { toAssignment } from './parser'
import type { Variable } from './variables'

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

function quote(value: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`
}

function describe(name: string, variable: Variable): string {
  const value = variable.value
  const flags = `${value.kind === 'array' ? 'a' : value.kind === 'assoc' ? 'A' : ''}${variable.integer ? 'i' : ''}${variable.readonly ? 'r' : ''}${variable.exported ? 'x' : ''}` || '-'
  if (value.kind === 'scalar') return `declare -${flags} ${name}="${value.value.replace(/["\\$`]/g, '\\$&')}"\n`
  const items = [...value.items.entries()].map(([key, item]) => `[${key}]="${item.replace(/["\\$`]/g, '\\$&')}"`).join(' ')
  return `declare -${flags} ${name}=(${items}${value.kind === 'assoc' && items ? ' ' : ''})\n`
}

/** `declare`, `local`, `export`, `readonly`, `typeset` with their words unexpanded. */
export async function runDeclaration(shell: Shell, name: string, words: readonly Word[], io: IO): Promise<number> {
  const flags = new Set<string>()
  let status = 0
  let sawName = false
  if (name === 'local' && !shell.vars.inFunction) {
    io.stderr.write('bash: local: can only be used in a function\n')
    return 1
  }
  for (const word of words) {
    const assignment = toAssignment(word)
    if (!assignment) {
      for (const arg of await expandWords([word], shell)) {
        if (!sawName && /^[-+][aAirxgpnf]+$/.test(arg)) {
          for (const flag of arg.slice(1)) flags.add(arg[0] === '+' ? `+${flag}` : flag)
          continue
        }
        sawName = true
        if (!NAME.test(arg)) {
          io.stderr.write(`bash: ${name}: \`${arg}': not a valid identifier\n`)
          status = 1
          continue
        }
        if (flags.has('p')) {
          const variable = shell.vars.get(arg)
          if (variable) io.stdout.write(describe(arg, variable))
          else status = 1
          continue
        }
        declare(shell, name, arg, flags)
      }
      continue
    }
    sawName = true
    declare(shell, name, assignment.name, flags)
    await assign(shell, assignment)
  }
  if (!sawName && (flags.has('p') || words.length === 0 || name === 'export')) {
    for (const each of shell.vars.names()) {
      const variable = shell.vars.get(each) as Variable
      if (name === 'export' && !variable.exported) continue
      if (name === 'readonly' && !variable.readonly) continue
      io.stdout.write(describe(each, variable))
    }
  }
  return status
}

function declare(shell: Shell, builtin: string, name: string, flags: ReadonlySet<string>): void {
  const vars = shell.vars
  const local = builtin === 'local' || ((builtin === 'declare' || builtin === 'typeset') && vars.inFunction && !flags.has('g'))
  if (local) vars.makeLocal(name)
  const exists = vars.has(name)
  if (!exists && !flags.has('a') && !flags.has('A') && builtin !== 'export' && builtin !== 'readonly' && !flags.has('x') && !flags.has('i') && !flags.has('r')) {
    if (local) vars.setValue(name, { kind: 'scalar', value: '' })
    return
  }
  vars.update(name, (variable) => {
    if (flags.has('A') && variable.value.kind !== 'assoc') variable.value = { kind: 'assoc', items: new Map() }
    if (flags.has('a') && variable.value.kind === 'scalar') variable.value = { kind: 'array', items: exists ? new Map([[0, variable.value.value]]) : new Map() }
    if (flags.has('i')) variable.integer = true
    if (builtin === 'export' || flags.has('x')) variable.exported = !flags.has('n')
    if (flags.has('+x')) variable.exported = false
    if (builtin === 'readonly' || flags.has('r')) variable.readonly = true
  })
}

const unset: Builtin = async (shell, args) => {
  const functions = args[0] === '-f'
  for (const arg of args) {
    if (arg === '-v' || arg === '-f') continue
    if (functions) {
      shell.functions.delete(arg)
      continue
    }
    const element = /^([A-Za-z_][A-Za-z0-9_]*)\[(.+)\]$/.exec(arg)
    if (element) {
      const assoc = shell.vars.get(element[1] as string)?.value.kind === 'assoc'
      shell.vars.unset(element[1] as string, assoc ? (element[2] as string) : arithmeticFromText(element[2] as string, shell).toString())
    } else if (shell.vars.has(arg)) shell.vars.unset(arg)
    else shell.functions.delete(arg)
  }
  return 0
}

const OPTION_LETTERS: Readonly<Record<string, keyof ShellOptions>> = { e: 'errexit', u: 'nounset', f: 'noglob', x: 'xtrace', a: 'allexport' }
const OPTION_NAMES = new Set(['errexit', 'nounset', 'pipefail', 'noglob', 'xtrace', 'allexport'])

const set: Builtin = async (shell, args, io) => {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    if (arg === '--' || arg === '-') {
      shell.positional = args.slice(i + 1)
      return 0
    }
    if (arg === '-o' || arg === '+o') {
      const name = args[++i]
      if (name === undefined) return 0
      if (!OPTION_NAMES.has(name)) {
        if (name === 'posix' || name === 'noclobber' || name === 'verbose' || name === 'errtrace' || name === 'functrace' || name === 'monitor') continue
        io.stderr.write(`bash: set: ${name}: invalid option name\n`)
        return 2
      }
      shell.options = { ...shell.options, [name]: arg === '-o' }
      continue
    }
    if (/^[-+][a-zA-Z]+$/.test(arg)) {
      for (const letter of arg.slice(1)) {
        const option = letter === 'o' ? args[++i] : OPTION_LETTERS[letter]
        if (letter === 'o' && (option === undefined || !OPTION_NAMES.has(option))) {
          io.stderr.write(`bash: set: ${option ?? ''}: invalid option name\n`)
          return 2
        }
        if (option) shell.options = { ...shell.options, [option]: arg[0] === '-' }
        else if (!'hBCvmEHPT'.includes(letter)) {
          io.stderr.write(`bash: set: ${arg[0]}${letter}: invalid option\n`)
          return 2
        }
      }
      continue
    }
    shell.positional = args.slice(i)
    return 0
  }
  return 0
}

const shopt: Builtin = async (shell, args, io) => {
  const enable = args.includes('-s')
  const disable = args.includes('-u')
  for (const name of args.filter((arg) => !arg.startsWith('-'))) {
    if (name === 'nullglob' || name === 'dotglob' || name === 'globstar') {
      if (enable || disable) shell.options = { ...shell.options, [name]: enable }
      else io.stdout.write(`${name}\t${shell.options[name] ? 'on' : 'off'}\n`)
    }
  }
  return 0
}

const letBuiltin: Builtin = async (shell, args) => {
  let last = 0n
  for (const arg of args) last = arithmeticFromText(arg, shell)
  return last === 0n ? 1 : 0
}

export const DECLARATION_BUILTINS = new Set(['declare', 'typeset', 'local', 'export', 'readonly'])

export const VARIABLE_BUILTINS: ReadonlyArray<readonly [string, Builtin]> = [
  ['unset', unset],
  ['set', set],
  ['shopt', shopt],
  ['let', letBuiltin],
  ['read', readBuiltin],
  ['mapfile', mapfile],
  ['readarray', mapfile],
]
