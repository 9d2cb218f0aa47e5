/**
 * Policy action strings (DESIGN.md): `exec:<operation>`, `fs:read:<path>`,
 * `fs:write:<path>`, `net:<url>`, `intent:<realm.action>`, `tier:<n>`.
 *
 * The file actions of a stage come from a table of what each known operation
 * does with its operands. Where the table cannot tell a path from another
 * operand it errs towards checking more (an extra `fs:read:` of a pattern is
 * harmless; a missed path would be a bypass). Paths are made absolute against
 * the working directory and `.`/`..` are resolved, so `/tmp/../etc/x` is
 * checked as `/etc/x`. Any operand that looks like a URL also yields `net:`.
 */
import { execAction, fsReadAction, fsWriteAction, netAction } from '../core/policy-actions'

/** `/a/./b/../c` → `/a/c`; relative paths resolve against `cwd`; never climbs above `/`. */
export function normalizePath(path: string, cwd = '/'): string {
  const absolute = path.startsWith('/') ? path : `${cwd.endsWith('/') ? cwd : `${cwd}/`}${path}`
  const parts: string[] = []
  for (const part of absolute.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') parts.pop()
    else parts.push(part)
  }
  return `/${parts.join('/')}`
}

type Selector = 'all' | 'allButFirst' | 'allButLast' | 'last'

interface OperandUse {
  read?: Selector
  write?: Selector
  /** Flags that consume the next argument as their value (not an operand). */
  valueFlags?: readonly string[]
}

const READ_ALL: OperandUse = { read: 'all' }
const WRITE_ALL: OperandUse = { write: 'all' }
const PATTERN_FIRST: OperandUse = { read: 'allButFirst', valueFlags: ['-e', '-f', '-m', '-A', '-B', '-C'] }

/** What the fabric's known operations do with their operands (tier-1 natives and common tier-4 tools). */
const OPERAND_USE: Readonly<Record<string, OperandUse>> = {
  cat: READ_ALL,
  head: { read: 'all', valueFlags: ['-n', '-c'] },
  tail: { read: 'all', valueFlags: ['-n', '-c'] },
  wc: READ_ALL,
  sort: { read: 'all', valueFlags: ['-k', '-t'] },
  uniq: { read: 'all', valueFlags: ['-f', '-s'] },
  cut: { read: 'all', valueFlags: ['-d', '-f', '-c', '-b'] },
  stat: READ_ALL,
  ls: READ_ALL,
  sha256sum: READ_ALL,
  md5sum: READ_ALL,
  base64: READ_ALL,
  du: READ_ALL,
  grep: PATTERN_FIRST,
  sed: PATTERN_FIRST,
  jq: { read: 'allButFirst', valueFlags: ['--arg', '--argjson', '--indent'] },
  find: READ_ALL,
  rm: WRITE_ALL,
  rmdir: WRITE_ALL,
  mkdir: WRITE_ALL,
  touch: WRITE_ALL,
  tee: WRITE_ALL,
  mv: WRITE_ALL,
  cp: { read: 'allButLast', write: 'last' },
  ln: { read: 'allButLast', write: 'last' },
}

/** Operations whose operands are not files at all. */
const NO_FILE_OPERANDS = new Set(['echo', 'printf', 'tr', 'basename', 'dirname', 'true', 'false', 'seq', 'date', 'sleep', 'yes', 'env', 'pwd'])

const URL_PATTERN = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i

function select(operands: readonly string[], selector: Selector | undefined): string[] {
  switch (selector) {
    case undefined:
      return []
    case 'all':
      return [...operands]
    case 'allButFirst':
      return operands.slice(1)
    case 'allButLast':
      return operands.slice(0, -1)
    case 'last':
      return operands.slice(-1)
  }
}

/** Operands of a stage: arguments that are not flags (everything after `--`), skipping flag values. */
function operandsOf(args: readonly string[], use: OperandUse): { operands: string[]; flags: string[] } {
  const operands: string[] = []
  const flags: string[] = []
  let onlyOperands = false
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    if (onlyOperands || !arg.startsWith('-') || arg === '-') operands.push(arg)
    else if (arg === '--') onlyOperands = true
    else {
      flags.push(arg)
      if (use.valueFlags?.includes(arg)) i++
    }
  }
  return { operands, flags }
}

export interface StageForPolicy {
  operation: string
  args: readonly unknown[]
  /** Files the stage's redirections read (`<`) and write (`>`, `>>`). */
  redirects?: ReadonlyArray<{ direction: 'read' | 'write'; path: string }>
}

function fileActions(stage: StageForPolicy, stringArgs: string[], cwd: string): string[] {
  if (NO_FILE_OPERANDS.has(stage.operation)) return []
  const use = OPERAND_USE[stage.operation] ?? READ_ALL
  const { operands, flags } = operandsOf(stringArgs, use)
  const pathOperands = operands.filter((o) => o !== '-' && !URL_PATTERN.test(o))
  // A pattern given with -e means every positional operand is a file.
  const readSelector = use === PATTERN_FIRST && flags.includes('-e') ? 'all' : use.read
  // `sed -i` edits its files in place; `find … -delete` removes what it finds.
  const writesInPlace = (stage.operation === 'sed' && flags.some((f) => f.startsWith('-i'))) || (stage.operation === 'find' && flags.includes('-delete'))
  const reads = select(pathOperands, readSelector).map((p) => fsReadAction(normalizePath(p, cwd)))
  const writes = select(pathOperands, writesInPlace ? readSelector : use.write).map((p) => fsWriteAction(normalizePath(p, cwd)))
  return [...reads, ...writes]
}

/** The actions one stage needs: its operation, the files it reads and writes, the URLs it names. */
export function actionsForStage(stage: StageForPolicy, cwd = '/'): string[] {
  const stringArgs = stage.args.filter((a): a is string => typeof a === 'string')
  const actions = [execAction(stage.operation), ...fileActions(stage, stringArgs, cwd)]
  for (const arg of stringArgs) if (URL_PATTERN.test(arg)) actions.push(netAction(arg))
  for (const redirect of stage.redirects ?? []) {
    const path = normalizePath(redirect.path, cwd)
    actions.push(redirect.direction === 'read' ? fsReadAction(path) : fsWriteAction(path))
  }
  return actions
}

/** Keeps the first occurrence of each action, in order. */
export function uniqueActions(actions: Iterable<string>): string[] {
  return [...new Set(actions)]
}
