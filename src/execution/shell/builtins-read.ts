/**
 * `read` and `mapfile`. read takes one record (a line, or up to -d's
 * character) from stdin, removes backslashes unless -r (a backslash-newline
 * continues the line), and splits it on IFS into the names — the last name
 * gets the rest, `-a` fills an array, no name fills REPLY unsplit. Status 1
 * at end of input (the partial record is still assigned). -p's prompt goes
 * nowhere: bash prints it only when stdin is a terminal.
 */
import type { Builtin } from './builtins-native'

const IFS_WHITESPACE = ' \t\n'

function ifsOf(vars: { has(name: string): boolean; scalar(name: string): string | undefined }): string {
  return vars.has('IFS') ? (vars.scalar('IFS') ?? '') : ' \t\n'
}

function isWhite(char: string, ifs: string): boolean {
  return ifs.includes(char) && IFS_WHITESPACE.includes(char)
}

/** Splits into at most `count` fields (0: unlimited), bash's read rules. */
export function splitFields(text: string, ifs: string, count: number): string[] {
  if (ifs === '') return [text]
  let i = 0
  const fields: string[] = []
  const skipWhite = () => {
    while (i < text.length && isWhite(text[i] as string, ifs)) i++
  }
  skipWhite()
  while (i < text.length) {
    if (count > 0 && fields.length === count - 1) {
      let rest = text.slice(i)
      let end = rest.length
      while (end > 0 && isWhite(rest[end - 1] as string, ifs)) end--
      rest = rest.slice(0, end)
      fields.push(rest)
      return fields
    }
    let field = ''
    while (i < text.length && !ifs.includes(text[i] as string)) field += text[i++]
    fields.push(field)
    skipWhite()
    if (i < text.length && ifs.includes(text[i] as string) && !isWhite(text[i] as string, ifs)) {
      i++
      skipWhite()
    }
  }
  return fields
}

export const readBuiltin: Builtin = async (shell, args, io) => {
  let raw = false
  let arrayName: string | undefined
  let delimiter = '\n'
  let limit: number | undefined
  const names: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    if (names.length === 0 && /^-[rsa-zA-Z]+$/.test(arg)) {
      for (let k = 1; k < arg.length; k++) {
        const flag = arg[k] as string
        if (flag === 'r') raw = true
        else if (flag === 's') continue
        else if ('adpntu'.includes(flag)) {
          const value = arg.slice(k + 1) || (args[++i] ?? '')
          if (flag === 'a') arrayName = value
          else if (flag === 'd') delimiter = value === '' ? '\0' : (value[0] as string)
          else if (flag === 'n') limit = Number(value)
          break
        } else {
          io.stderr.write(`bash: read: -${flag}: invalid option\n`)
          return 2
        }
      }
      continue
    }
    names.push(arg)
  }
  let text = ''
  let complete = false
  for (;;) {
    const record = await io.stdin.readRecord(delimiter.charCodeAt(0))
    if (!record) break
    complete = record.complete
    let chunk = record.text
    if (!raw && complete && delimiter === '\n' && /(^|[^\\])(\\\\)*\\$/.test(chunk)) {
      text += chunk.slice(0, -1)
      continue
    }
    if (!raw && !complete && chunk.endsWith('\\')) chunk = chunk.slice(0, -1)
    text += chunk
    break
  }
  if (limit !== undefined) text = text.slice(0, limit)
  if (!raw) text = text.replace(/\\(.)/gs, '$1')
  const ifs = ifsOf(shell.vars)
  if (arrayName !== undefined) {
    const fields = splitFields(text, ifs, 0)
    shell.vars.setValue(arrayName, { kind: 'array', items: new Map(fields.map((field, i) => [i, field])) })
  } else if (names.length === 0) shell.vars.set('REPLY', text)
  else {
    const fields = splitFields(text, ifs, names.length)
    names.forEach((name, i) => shell.vars.set(name, fields[i] ?? ''))
  }
  return complete ? 0 : 1
}

export const mapfile: Builtin = async (shell, args, io) => {
  let trim = false
  let name = 'MAPFILE'
  let delimiter = '\n'
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    if (arg === '-t') trim = true
    else if (arg === '-d') delimiter = args[++i] || '\0'
    else if (!arg.startsWith('-')) name = arg
  }
  const items = new Map<number, string>()
  for (;;) {
    const record = await io.stdin.readRecord(delimiter.charCodeAt(0))
    if (!record) break
    items.set(items.size, trim || !record.complete ? record.text : record.text + delimiter)
  }
  shell.vars.setValue(name, { kind: 'array', items })
  return 0
}
