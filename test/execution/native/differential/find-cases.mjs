/**
 * find command lines for the differential suite. GNU lists a directory in
 * readdir order and tier 1 in name order, so listings compare as sorted
 * lines (`unordered`); a `{} +` batch is one line whose order differs, so
 * those cases use per-file output (wc -l, cat). `refused` cases must come
 * back NOT_SUPPORTED.
 */
const f = (...args) => ({ argv: ['find', ...args], unordered: true })
const refused = (c) => ({ ...c, refused: true })

const STARTS = [['.'], ['dir'], ['dir', 'emptydir'], ['a.txt', 'dir/sub']]
const EXPRESSIONS = [
  [],
  ['-type', 'f'],
  ['-type', 'd'],
  ['-name', '*.txt'],
  ['-iname', '*.TXT'],
  ['-path', '*sub*'],
  ['-maxdepth', '1'],
  ['-mindepth', '2'],
  ['-maxdepth', '2', '-mindepth', '1', '-type', 'f'],
  ['-empty'],
  ['-type', 'f', '-empty'],
  ['-size', '0'],
  ['-type', 'f', '-size', '-1k'],
  ['-type', 'f', '-size', '+1'],
  ['-type', 'f', '-size', '+4k'],
  ['-type', 'f', '-size', '5000c'],
  ['-type', 'f', '-size', '-2'],
  ['-type', 'f', '-size', '1'],
  ['-type', 'f', '-size', '+0M'],
  ['-mtime', '0'],
  ['-mtime', '-1'],
  ['-mtime', '+0'],
  ['-mtime', '+30'],
  ['-mmin', '-60'],
  ['-mmin', '+60'],
  ['-type', 'f', '-perm', '644'],
  ['-type', 'f', '-perm', '-444'],
  ['-perm', '/111'],
  ['-mindepth', '1', '-type', 'd', '-perm', '755'],
  ['-perm', '-u+x'],
  ['-regex', '.*\\.txt'],
  ['-regex', '.*/sub/.*'],
  ['-regex', '\\./[a-d].*'],
  ['-iregex', '.*\\.TXT'],
  ['-regextype', 'posix-extended', '-regex', '.*/(one|two)\\..*'],
  ['-regextype', 'posix-basic', '-regex', '.*/t[a-z]*\\.md'],
  ['-regex', '.*\\(one\\|two\\).*'],
  ['-name', 'sub', '-prune', '-o', '-print'],
  ['-name', 'sub', '-prune', '-o', '-type', 'f', '-print'],
  ['-path', './dir', '-prune', '-o', '-name', '*.txt', '-print'],
  ['-depth'],
  ['-depth', '-type', 'd'],
  ['-name', '*.txt', '-o', '-name', '*.md'],
  ['(', '-name', '*.txt', '-o', '-name', '*.log', ')', '-type', 'f'],
  ['!', '-name', '*.txt', '-type', 'f'],
  ['-not', '-type', 'd'],
  ['-type', 'f', '-print0'],
  ['-printf', '%p\\n'],
  ['-type', 'f', '-printf', '%f %s %d %m %y\\n'],
  ['-printf', '%h|%P|%H\\n'],
  ['-type', 'f', '-printf', '%-12f|%5s|\\n'],
  ['-type', 'f', '-name', '*.txt', '-exec', 'wc', '-l', '{}', ';'],
  ['-type', 'f', '-name', '*.txt', '-exec', 'wc', '-l', '{}', '+'],
  ['-type', 'f', '-exec', 'wc', '-c', '{}', '+'],
  ['-name', '*.md', '-exec', 'echo', 'found:{}', ';'],
  ['-type', 'f', '-name', '*.txt', '-exec', 'grep', '-l', 'x', '{}', ';'],
  ['-type', 'f', '-exec', 'grep', '-q', 'x', '{}', ';', '-print'],
  ['-type', 'f', '-execdir', 'wc', '-c', '{}', ';'],
  ['-type', 'f', '-name', '*.txt', '-execdir', 'echo', '{}', ';'],
  ['-type', 'd', '-exec', 'test', '-d', '{}', ';', '-print'],
  ['-user', 'root'],
  ['-ls'],
  ['-ok', 'echo', '{}', ';'],
]

const REFUSED = new Set(['-perm -u+x', '-ok echo {} ;', '-ls', '-user root'])
/** Commands no tier-1 utility answers: without a router (the replay runs tier 1 alone) the line is refused. */
const NEEDS_ROUTER = ['sh', 'nosuchcmd']

const MATRIX = STARTS.flatMap((start) =>
  EXPRESSIONS.map((expression) => {
    const c = f(...start, ...expression)
    return REFUSED.has(expression.join(' ')) ? refused(c) : c
  }),
)

const MORE = [
  f('.', '-name', '*.txt', '-exec', 'wc', '-l', '{}', '+'),
  f('.', '-exec'),
  f('.', '-exec', 'echo', '{}'),
  f('.', '-exec', ';'),
  f('.', '-size', 'x'),
  f('.', '-size', '10q'),
  f('.', '-mtime', 'abc'),
  f('.', '-type', 'f', '-exec', 'nosuchcmd', '{}', ';'),
  f('.', '-type', 'f', '-exec', 'false', '{}', '+'),
  f('.', '-type', 'f', '-exec', 'false', ';'),
  f('nope', '-name', 'x'),
  f('dir', '-maxdepth', '0', '-printf', '%p %d\\n'),
  refused(f('dir', '-regextype', 'nosuch', '-regex', 'x')),
  f('dir/sub', '-depth', '-printf', '%d %p\\n'),
  f('.', '-name', 'deep', '-prune'),
  f('.', '-type', 'f', '-size', '-1', '-delete', '-print'),
  f('.', '-type', 'f', '-newer', 'a.txt', '-name', 'zzz'),
  f('dir', '-printf', '%%|%y\\n'),
  f('.', '-maxdepth', '1', '-type', 'f', '-name', '*.txt', '-exec', 'head', '-n1', '{}', ';'),
  f('.', '-maxdepth', '1', '-name', '*.csv', '-exec', 'awk', '-F,', '{s+=$2} END {print s}', '{}', ';'),
  f('.', '-maxdepth', '1', '-name', '*.txt', '-exec', 'sh', '-c', 'echo {}', ';'),
]

export const FIND_CASES = [...MATRIX, ...MORE.map((c) => (NEEDS_ROUTER.some((name) => c.argv.includes(name)) ? refused(c) : c))]
