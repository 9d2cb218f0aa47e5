/**
 * `[[ … ]]`: string tests (-z -n, == != with patterns, < >), =~ with the
 * tier-1 POSIX ERE engine (never a JavaScript RegExp on the caller's
 * pattern; groups land in BASH_REMATCH), integer comparisons (operands are
 * arithmetic), and file tests through fsx. No field splitting or globbing
 * of operands, as in bash.
 */
import { isFsError } from '../fsx/errors'
import { resolvePath } from '../fsx/paths'
import { compileRegex, RegexSyntaxError } from '../native/regex/index'
import type { CondExpr, Word } from './ast'
import { arithmeticFromText, expandPattern, expandString } from './expand'
import type { Shell } from './interpreter'
import { matchPattern } from './pattern'

export class CondError extends Error {
  override readonly name = 'CondError'
}

/** An ERE that matches `text` literally. */
function escapeRegex(text: string): string {
  return text.replace(/[.[\]()*+?{}|^$\\]/g, '\\$&')
}

async function regexSource(word: Word, shell: Shell): Promise<string> {
  let source = ''
  for (const part of word.parts) {
    const text = await expandString({ parts: [part], column: word.column }, shell)
    source += part.quoted ? escapeRegex(text) : text
  }
  return source
}

export async function fileTest(shell: Shell, op: string, operand: string): Promise<boolean> {
  if (op === '-t') return false
  if (operand === '') return false
  let stat
  try {
    stat = await shell.fs.stat(resolvePath(shell.cwd, operand))
  } catch (thrown) {
    if (isFsError(thrown)) return false
    throw thrown
  }
  switch (op) {
    case '-d': return stat.type === 'directory'
    case '-f': return stat.type === 'file'
    case '-s': return stat.type === 'file' ? stat.size > 0 : true
    case '-h':
    case '-L': return false
    case '-x': return stat.type === 'directory'
    default: return true
  }
}

function optionSet(shell: Shell, name: string): boolean {
  const options: Readonly<Record<string, boolean>> = { ...shell.options }
  return options[name] ?? false
}

async function unary(shell: Shell, op: string, operand: string): Promise<boolean> {
  if (op === '-z') return operand === ''
  if (op === '-n') return operand !== ''
  if (op === '-v') return shell.vars.has(operand)
  if (op === '-o') return optionSet(shell, operand)
  return fileTest(shell, op, operand)
}

const INTEGER_OPS: Readonly<Record<string, (a: bigint, b: bigint) => boolean>> = {
  '-eq': (a, b) => a === b,
  '-ne': (a, b) => a !== b,
  '-lt': (a, b) => a < b,
  '-le': (a, b) => a <= b,
  '-gt': (a, b) => a > b,
  '-ge': (a, b) => a >= b,
}

async function binary(shell: Shell, op: string, left: Word, right: Word): Promise<boolean> {
  const a = await expandString(left, shell)
  if (op === '==' || op === '=' || op === '!=') {
    const matched = matchPattern(await expandPattern(right, shell), a)
    return op === '!=' ? !matched : matched
  }
  if (op === '=~') {
    const source = await regexSource(right, shell)
    let regex
    try {
      regex = compileRegex(source, { flavor: 'extended' })
    } catch (thrown) {
      if (thrown instanceof RegexSyntaxError) return Promise.reject(new CondError(`${source}: invalid regular expression`))
      throw thrown
    }
    const match = regex.exec(a, 0)
    if (!match) {
      shell.vars.setValue('BASH_REMATCH', { kind: 'array', items: new Map() })
      return false
    }
    const groups = match.groups.map((span) => (span ? a.slice(span[0], span[1]) : ''))
    shell.vars.setValue('BASH_REMATCH', { kind: 'array', items: new Map(groups.map((group, i) => [i, group])) })
    return true
  }
  const b = await expandString(right, shell)
  if (op === '<') return a < b
  if (op === '>') return a > b
  const integer = INTEGER_OPS[op]
  if (integer) return integer(arithmeticFromText(a, shell), arithmeticFromText(b, shell))
  if (op === '-nt' || op === '-ot' || op === '-ef') return fileCompare(shell, op, a, b)
  throw new CondError(`${op}: unknown operator`)
}

async function fileCompare(shell: Shell, op: string, a: string, b: string): Promise<boolean> {
  const stamp = async (path: string) => {
    try {
      return (await shell.fs.stat(resolvePath(shell.cwd, path))).mtime
    } catch {
      return undefined
    }
  }
  const [x, y] = [await stamp(a), await stamp(b)]
  if (op === '-ef') return x !== undefined && resolvePath(shell.cwd, a) === resolvePath(shell.cwd, b)
  if (x === undefined || y === undefined) return op === '-nt' ? x !== undefined : y !== undefined
  return op === '-nt' ? x > y : x < y
}

export async function evaluateCondition(shell: Shell, expr: CondExpr): Promise<boolean> {
  switch (expr.kind) {
    case 'not': return !(await evaluateCondition(shell, expr.expr))
    case 'and': return (await evaluateCondition(shell, expr.left)) && evaluateCondition(shell, expr.right)
    case 'or': return (await evaluateCondition(shell, expr.left)) || evaluateCondition(shell, expr.right)
    case 'word': return (await expandString(expr.word, shell)) !== ''
    case 'unary': return unary(shell, expr.op, await expandString(expr.operand, shell))
    case 'binary': return binary(shell, expr.op, expr.left, expr.right)
  }
}
