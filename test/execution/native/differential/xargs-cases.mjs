/**
 * xargs command lines for the differential suite (stdin given per case).
 * The commands xargs runs are tier-1 utilities, so the whole line stays on
 * tier 1; `refused` cases must come back NOT_SUPPORTED.
 */
const x = (stdin, ...args) => ({ argv: ['xargs', ...args], stdin })
const refused = (c) => ({ ...c, refused: true })

const LIST = 'a.txt\nnums.txt\nnoeol.txt\n'
const WORDS = 'one two three\nfour five\n\nsix\n'
const COMMANDS = [
  ['echo'],
  ['-n1', 'echo'],
  ['-n2', 'echo'],
  ['-n', '3', 'echo', 'x'],
  ['-L1', 'echo'],
  ['-L', '2', 'echo'],
  ['-t', 'echo'],
  ['-t', '-n1', 'echo', '-'],
  ['-r', 'echo', 'got'],
  ['echo', 'prefix'],
  ['-I{}', 'echo', '[{}]'],
  ['-I', 'X', 'echo', 'X-X'],
  ['-P1', 'echo'],
  ['printf', '%s|'],
  ['-n1', 'printf', '<%s>\\n'],
  [],
]
const INPUTS = [LIST, WORDS, '', '\n\n', 'single', '  lead  trail  \n', 'a "b c" d\n', "it\\'s 'q w'\n", 'x\\ y z\n', 'l1 \nl2\nl3 a\n']

const MATRIX = INPUTS.flatMap((stdin) => COMMANDS.map((args) => x(stdin, ...args)))

const FILES = [
  x('a.txt nums.txt\n', 'wc', '-l'),
  x('a.txt\nnums.txt\n', '-n1', 'wc', '-c'),
  x(LIST, 'wc', '-l'),
  x(LIST, 'cat'),
  x(LIST, '-n1', 'head', '-n1'),
  x(LIST, 'grep', '-c', 'a'),
  x(LIST, 'grep', '-l', 'apple'),
  x(LIST, '-I{}', 'grep', '-H', '2', '{}'),
  x('a.txt\0nums.txt\0', '-0', 'wc', '-l'),
  x('a.txt\0with space.txt\0', '-0', '-n1', 'cat'),
  x('with space.txt\n', 'cat'),
  x('with space.txt\n', '-d', '\\n', 'cat'),
  x('"with space.txt"\n', 'cat'),
  x('a.txt,nums.txt', '-d,', 'wc', '-c'),
  x('a.txt:nums.txt:', '-d', ':', '-n1', 'wc', '-l'),
  x('dir/one.txt dir/two.md\n', 'ls'),
  { ...x('dir\n', 'find'), unordered: true },
  x('emptydir\n', '-I{}', 'find', '{}', '-type', 'd'),
  x('apple\ncherry\n', '-I{}', 'grep', '-n', '{}', 'a.txt'),
  x('a.txt\n', 'sed', 's/a/A/'),
  x('a.txt\n', 'sort', '-r'),
  x('3\n1\n2\n', 'echo'),
  x('10 20\n', 'seq'),
  x('5\n', 'seq', '2'),
  x('a b\nc d\n', '-L1', 'printf', '%s+%s\\n'),
  x('one\ntwo\n', '-t', '-I', '%', 'echo', 'item %'),
  x('nope.txt\n', 'cat'),
  x('nope.txt a.txt\n', 'wc', '-l'),
  x('a.txt\n', 'false'),
  x('a b c\n', '-n1', 'test', '-f'),
  refused(x('a.txt\n', 'nosuchcommand')),
  x('a\n', 'true'),
  x('x "unterminated\n', 'echo'),
  x("x 'unterminated\n", 'echo'),
  x('a\n', '-n', '0', 'echo'),
  x('a\n', '-n', 'x', 'echo'),
  x('dir/one.txt\n', 'basename'),
  x('dir/sub/three.txt\n', 'dirname'),
  x('a.txt\nnums.txt\n', 'md5sum'),
  x('a.txt\n', 'tail', '-n1'),
  x('hello\n', 'tr', 'a-z', 'A-Z'),
  x('a.txt\n', '-I', 'F', 'cp', 'F', 'F.copy'),
  refused(x('a\n', '-P', '4', 'echo')),
  refused(x('a\n', '-s', '100', 'echo')),
  refused(x('a\n', '-E', 'x', 'echo')),
  refused(x('a\n', '-a', 'list.txt', 'echo')),
  refused(x('a\n', '-x', 'echo')),
]

export const XARGS_CASES = [...MATRIX, ...FILES]
