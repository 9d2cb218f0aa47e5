/**
 * The differential cases: every tier-1 utility crossed with the options
 * people use, plus seeded random pipelines of filters. Deterministic: the
 * same seed always yields the same list, so recordings stay comparable.
 * A case is { id, stages: argv[], stdin?, normalize?, fixed? }: stages run
 * as a pipeline (each stage's stdout is the next one's stdin; the status is
 * the last stage's). `fixed` holds the documented answer of a utility whose
 * truth is not this machine (uname, hostname, whoami, id).
 */
import { TEXT_FILES } from './fixtures.mjs'

export const SEED = 20261207

/** mulberry32: a small, well-mixed deterministic PRNG. */
export function prng(seed) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const cross = (options, operands) => options.flatMap((o) => operands.map((x) => [...o, ...x]))
const files = (...names) => names.map((name) => [name])

/** The documented tier-1 identity (docs/native.md): a Worker has no host to ask. */
export const IDENTITY_CASES = [
  [['uname'], 'Linux\n'],
  [['uname', '-s'], 'Linux\n'],
  [['uname', '-n'], 'sandbox\n'],
  [['uname', '-m'], 'x86_64\n'],
  [['uname', '-o'], 'GNU/Linux\n'],
  [['uname', '-sm'], 'Linux x86_64\n'],
  [['uname', '-a'], 'Linux sandbox 6.1.0-edge-fabric #1 SMP edge-fabric tier 1 x86_64 GNU/Linux\n'],
  [['hostname'], 'sandbox\n'],
  [['whoami'], 'agent\n'],
  [['id'], 'uid=1000(agent) gid=1000(agent) groups=1000(agent)\n'],
  [['id', '-u'], '1000\n'],
  [['id', '-un'], 'agent\n'],
  [['id', '-g'], '1000\n'],
  [['id', '-G'], '1000\n'],
]

function families() {
  const T = TEXT_FILES
  const some = ['a.txt', 'noeol.txt', 'unicode.txt', 'words.txt', 'crlf.txt']
  const f = {}
  f.cat = cross([[], ['-n'], ['-b'], ['-s'], ['-A'], ['-E'], ['-T'], ['-v'], ['-ns']], [...files(...T), ['a.txt', 'noeol.txt'], ['nope.txt'], ['dir']])
  f.head = cross([['-n', '2'], ['-n', '-2'], ['-c', '5'], ['-c', '-3'], ['-1'], ['-q', '-n1'], ['-v', '-n1']], [...files(...some), ['a.txt', 'nums.txt']])
  f.tail = cross([['-n', '2'], ['-n', '+3'], ['-c', '4'], ['-1'], ['-c', '+3'], ['-q', '-n1']], [...files(...some), ['a.txt', 'nums.txt']])
  f.wc = cross([[], ['-l'], ['-w'], ['-c'], ['-m'], ['-L'], ['-lw']], [...files(...T), ['a.txt', 'nums.txt'], ['nope.txt']])
  const patterns = ['an', 'a.b', '^a', 'e$', '[0-9]+', 'x*', 'ERROR|WARN', '(an)+', 'a{2}', '\\<b', '[[:upper:]]', 'p[^ ]*', '']
  f.grep = [
    ...cross([[], ['-i'], ['-v'], ['-c'], ['-n'], ['-o'], ['-w'], ['-x'], ['-E'], ['-F'], ['-iE'], ['-oE'], ['-cE'], ['-nE'], ['-l'], ['-h'], ['-H'], ['-m1']], patterns.map((p) => [p, 'a.txt', 'log.txt'])),
    ...cross([['-r'], ['-rl'], ['-rn'], ['-rc']], [['x', 'dir'], ['t', 'dir']]),
    ...cross([['-A1'], ['-B1'], ['-C1'], ['-A0']], [['an', 'a.txt'], ['ERROR', 'log.txt']]),
  ]
  f.sort = cross([[], ['-r'], ['-n'], ['-rn'], ['-u'], ['-f'], ['-k2'], ['-k2n'], ['-t,', '-k3n'], ['-b'], ['-s', '-k1,1'], ['-c'], ['-h'], ['-V'], ['-M']], [...files('a.txt', 'nums.txt', 'dup.txt', 'scores.csv', 'table.txt', 'unicode.txt', 'noeol.txt'), ['a.txt', 'b.txt']])
  f.uniq = cross([[], ['-c'], ['-d'], ['-u'], ['-i'], ['-f1'], ['-s1'], ['-w1'], ['-D']], files('dup.txt', 'a.txt', 'noeol.txt', 'table.txt'))
  f.cut = cross([['-d,', '-f2'], ['-d,', '-f1,3'], ['-f2-'], ['-c1-3'], ['-c2,4-'], ['-b-3'], ['-d', ' ', '-f2'], ['-s', '-d', ' ', '-f2'], ['-d,', '--complement', '-f2'], ['-d,', '-f1,3', '--output-delimiter=;']], files('scores.csv', 'tabs.tsv', 'a.txt', 'table.txt', 'unicode.txt'))
  f.tr = [
    ...cross([['a-z', 'A-Z'], ['-d', 'aeiou'], ['-s', 'a-z'], ['-c', 'a-z\\n', '_'], ['-cd', '[:alnum:]\\n'], ['[:lower:]', '[:upper:]'], ['-d', '\\r'], ['-s', ' '], ['-t', 'abc', 'x'], ['\\n', ','], ['a-f', '[x*]']], [[]]).map((args) => ({ stages: [['cat', 'a.txt', 'crlf.txt', 'words.txt'], ['tr', ...args]] })),
  ]
  const sedScripts = [['s/a/A/'], ['s/a/A/g'], ['s/\\(an\\)/[\\1]/g'], ['-E', 's/(a|e)+/<&>/g'], ['-n', '2p'], ['2d'], ['$d'], ['1!G;h;$!d'], ['G'], ['-n', '/an/p'], ['/^$/d'], ['s/[^/]*$//'], ['y/abc/xyz/'], ['='], ['-n', '$='], ['N;s/\\n/ /'], ['$!N;P;D'], ['s/x*/-/g'], ['2,3c\\\nREPLACED'], ['1i\\\nTOP'], ['$a END'], ['s/.*/\\U&/'], ['-s', '-n', '$p'], ['s/e/E/2'], ['l'], ['-z', 's/\\n/,/g']]
  f.sed = cross(sedScripts, [['a.txt'], ['noeol.txt'], ['a.txt', 'noeol.txt'], ['blanks.txt']])
  f.seq = [['5'], ['2', '4'], ['1', '2', '10'], ['-w', '8', '10'], ['-s', ',', '1', '5'], ['1', '0.5', '3'], ['5', '-1', '1'], ['0.1', '0.1', '0.5'], ['-3', '-1'], ['1', '0'], ['-f', '%.2f', '1', '0.25', '2'], ['1e2', '1e2', '5e2'], ['-w', '-1', '1'], ['10', '-3', '1'], ['-s', ' ', '3'], ['x']]
  f.printf = [['%s\\n', 'a', 'b'], ['%5.2f|%e|%g\\n', '3.14159', '1234.5', '0.0001'], ['%x %o %X %#x\\n', '255', '8', '255', '255'], ['%05d|%-5d|%+d\\n', '42', '42', '42'], ['%q\\n', 'a b', "it's", 'x$y', ''], ['%b\\n', 'a\\tb'], ['%c\\n', 'hello'], ['%d\\n', 'abc'], ['%10s|%-10s|\\n', 'ab', 'cd'], ['%%\\n'], ['%s %s\\n', 'one'], ['%i\\n', '0x1F'], ['%.3s\\n', 'abcdef']]
  f.echo = [['hello', 'world'], ['-n', 'abc'], ['-e', 'a\\tb\\nc'], ['-E', 'a\\tb'], ['--', 'x'], ['-ne', 'x\\n'], []]
  f.base64 = cross([[], ['-w', '0'], ['-w', '20']], files('a.txt', 'unicode.txt', 'bin.dat', 'empty.txt'))
  f.digests = ['md5sum', 'sha1sum', 'sha256sum', 'sha512sum'].flatMap((tool) => cross([[], ['-b'], ['--tag']], [['a.txt'], ['a.txt', 'empty.txt'], ['nope.txt']]).map((args) => [tool, ...args]))
  f.names = [['basename', '/a/b/c.txt'], ['basename', '/a/b/c.txt', '.txt'], ['basename', '-a', 'x/y', 'z/'], ['basename', '-s', '.md', 'a.md', 'b.md'], ['dirname', '/a/b/c'], ['dirname', 'c'], ['dirname', '/'], ['dirname', 'a/b/', 'x']]
  f.ls = cross([[], ['-a'], ['-A'], ['-1'], ['-r'], ['-F'], ['-p'], ['-R'], ['-d'], ['-S'], ['-m']], [[], ['dir'], ['dir', 'other'], ['nope']])
  f.find = [['.'], ['dir', '-type', 'f'], ['.', '-name', '*.txt'], ['dir', '-maxdepth', '1'], ['.', '-type', 'd'], ['.', '-empty'], ['dir', '-name', '*.md', '-o', '-name', '*.txt'], ['.', '-path', './dir/*'], ['dir', '-mindepth', '2'], ['.', '-iname', 'A.TXT']].map((args) => ({ stages: [['find', ...args], ['sort']] }))
  f.test = [['-f', 'a.txt'], ['-d', 'dir'], ['-e', 'nope'], ['-s', 'empty.txt'], ['-z', ''], ['-n', 'x'], ['a', '=', 'a'], ['a', '!=', 'b'], ['3', '-lt', '10'], ['!', '-f', 'dir'], ['-f', 'a.txt', '-a', '-d', 'dir'], ['(', '-n', 'x', ')'], ['(', '-f', 'nope', '-o', '-d', 'dir', ')', '-a', '-n', 'y'], ['abc', '-eq', '1'], ['x']].map((args) => ['test', ...args])
  f.tac = files(...some).map((x) => ['tac', ...x])
  f.env = [['printenv', 'HOME'], ['printenv', 'LC_ALL', 'TZ'], ['printenv', 'NOPE'], ['pwd'], ['true'], ['false']]
  // New utilities.
  f.diff = cross([[], ['-u'], ['-U1'], ['-q'], ['-s'], ['-i'], ['-w'], ['-b']], [['a.txt', 'b.txt'], ['a.txt', 'a.txt'], ['noeol.txt', 'a.txt'], ['empty.txt', 'a.txt'], ['sorted1.txt', 'sorted2.txt'], ['a.txt', 'nope.txt'], ['words.txt', 'long.txt']])
  f.comm = cross([[], ['-1'], ['-2'], ['-3'], ['-12'], ['-23'], ['-13'], ['--output-delimiter=|'], ['--total']], [['sorted1.txt', 'sorted2.txt'], ['sorted2.txt', 'sorted1.txt'], ['sorted1.txt', 'empty.txt'], ['a.txt', 'sorted1.txt']])
  f.paste = [...cross([[], ['-s'], ['-d,'], ['-d', ',;'], ['-s', '-d', ':'], ['-d', '\\t'], ['-d', '\\n']], [['sorted1.txt', 'sorted2.txt'], ['a.txt'], ['noeol.txt', 'nums.txt', 'dup.txt']])]
  f.join = cross([[], ['-a1'], ['-a2'], ['-v1'], ['-v2'], ['-a1', '-a2'], ['-o', '1.2,2.2'], ['-e', 'NA', '-a2', '-o', '0,1.2,2.2'], ['-o', 'auto', '-a1', '-e', '-'], ['-i']], [['left.txt', 'right.txt'], ['right.txt', 'left.txt'], ['sorted1.txt', 'sorted2.txt']])
  f.nl = cross([[], ['-ba'], ['-bn'], ['-nln'], ['-nrz'], ['-w3'], ['-s:'], ['-v10', '-i5'], ['-ba', '-nrz', '-w2']], files('a.txt', 'blanks.txt', 'noeol.txt', 'empty.txt'))
  f.fold = cross([[], ['-w10'], ['-w', '5'], ['-s', '-w10'], ['-b', '-w7'], ['-w1'], ['-20']], files('long.txt', 'a.txt', 'unicode.txt', 'tabs.tsv', 'noeol.txt'))
  f.rev = files(...T).map((x) => ['rev', ...x])
  f.column = cross([['-t'], ['-t', '-s,'], ['-t', '-s', '\t'], ['-t', '-o', '|'], ['-t', '-s,', '-o', ' | ']], files('table.txt', 'scores.csv', 'tabs.tsv', 'blanks.txt', 'empty.txt'))
  f.od = cross([[], ['-c'], ['-An', '-tx1'], ['-x'], ['-b'], ['-d'], ['-tx4'], ['-to2'], ['-td4'], ['-tu1', '-w4'], ['-Ad', '-tx1'], ['-Ax', '-c'], ['-N5', '-c'], ['-j3', '-tx1'], ['-v', '-tx1']], files('a.txt', 'bin.dat', 'empty.txt', 'noeol.txt'))
  f.hexdump = cross([['-C'], ['-C', '-n', '10'], ['-C', '-s', '4'], ['-Cv']], files('a.txt', 'bin.dat', 'empty.txt', 'long.txt'))
  f.expr = [['1', '+', '2'], ['5', '/', '0'], ['abc', ':', 'a\\(.\\)'], ['abc', ':', '.*'], ['a', '<', 'b'], ['10', '<', '9'], ['length', 'hello'], ['substr', 'hello', '2', '3'], ['index', 'hello', 'l'], ['1', '+'], ['1', '2'], ['a', '+', '1'], ['0'], ['', '|', 'b'], ['3', '&', '0'], ['match', 'abc', 'b'], ['--', '-5', '+', '1'], ['(', '1', '+', '2', ')', '*', '3'], ['7', '%', '-2'], ['-7', '/', '2'], ['abc', ':', 'x\\(.\\)'], ['99999999999999999999', '*', '3'], ['aaab', ':', '\\(a*\\)b'], ['x', '=', 'x'], ['2', '>=', '10']]
  f.cmp = [['a.txt', 'b.txt'], ['a.txt', 'a.txt'], ['-s', 'a.txt', 'b.txt'], ['-l', 'a.txt', 'b.txt'], ['-b', 'a.txt', 'b.txt'], ['noeol.txt', 'a.txt'], ['empty.txt', 'a.txt'], ['-n', '3', 'a.txt', 'b.txt'], ['a.txt', 'nope.txt'], ['sorted1.txt', 'sorted2.txt']]
  f.realpath = [['a.txt'], ['dir/sub'], ['nope'], ['nope/x'], ['dir/../a.txt'], ['-e', 'nope'], ['-m', 'nope/x/../y'], ['--relative-to=dir', 'a.txt'], ['.', 'dir/./sub/']]
  f.readlink = [['-f', 'a.txt'], ['-f', 'nope'], ['-f', 'nope/x'], ['a.txt'], ['-e', 'dir/sub'], ['-m', 'x/../y'], ['-f', 'dir/../dir/one.txt']]
  f.which = [['ls'], ['grep', 'sed'], ['sort']]
  f.files = [
    [['mkdir', '-pv', 'x/y/z'], ['find', 'x']],
    [['mkdir', 'dir']],
    [['rmdir', 'emptydir'], ['ls']],
    [['rmdir', 'dir']],
    [['rmdir', '-v', 'emptydir', 'other']],
    [['rmdir', 'nope']],
    [['rm', '-v', 'a.txt', 'b.txt']],
    [['rm', '-rv', 'dir']],
    [['rm', 'dir']],
    [['rm', '-f', 'nope']],
    [['cp', '-v', 'a.txt', 'c.txt']],
    [['cp', '-rv', 'dir', 'copy']],
    [['cp', 'a.txt', 'emptydir/']],
    [['mv', '-v', 'a.txt', 'moved.txt']],
    [['mv', 'dir', 'other/']],
    [['touch', 'new.txt']],
    [['truncate', '-s', '5', 'a.txt']],
    [['truncate', '-s', '+3', 'noeol.txt']],
    [['truncate', '-s', '<2', 'a.txt']],
    [['truncate', '-s', '%7', 'a.txt']],
    [['truncate', '-c', '-s', '3', 'nofile']],
    [['truncate', '-s', '1K', 'grown.bin']],
    [['truncate', '-s', 'x', 'a.txt']],
    [['tee', 'out.txt']],
    [['sort', '-o', 'sorted.txt', 'nums.txt']],
    [['sort', '-o', '/dev/stdout', 'nums.txt']],
    [['sed', '-i', 's/a/A/', 'a.txt']],
  ].map((stages) => ({ stages, stdin: 'piped in\n' }))
  f.digestCheck = [
    { stages: [['md5sum', 'a.txt', 'b.txt'], ['md5sum', '-c']] },
    { stages: [['sha256sum', 'a.txt'], ['sha256sum', '-c', '--quiet']] },
    { stages: [['echo', 'garbage'], ['md5sum', '-c']] },
    { stages: [['echo', 'garbage'], ['sha256sum', '-c']] },
    { stages: [['printf', ''], ['sha1sum', '-c']] },
  ]
  // gzip's compressed bytes come from a different deflate (docs/native.md); round trips and errors are compared.
  f.gzip = [
    { stages: [['gzip', '-c', 'a.txt'], ['gunzip']] },
    { stages: [['gzip', '-c', 'bin.dat'], ['zcat']] },
    { stages: [['gzip', '-c', 'empty.txt'], ['gunzip', '-c']] },
    { stages: [['gzip', '-9', '-c', 'unicode.txt'], ['gzip', '-d']] },
    { stages: [['gzip', '-n', '-c', 'long.txt'], ['zcat']] },
    { stages: [['cat', 'long.txt'], ['gzip'], ['gunzip']] },
    { stages: [['echo', 'x'], ['gunzip']] },
    { stages: [['gzip', 'nope']] },
    { stages: [['gzip', 'a.txt'], ['gunzip', 'a.txt.gz']] },
    { stages: [['gzip', '-k', 'b.txt'], ['gunzip', '-f', 'b.txt.gz']] },
    { stages: [['gzip', '-c', 'nope']] },
    { stages: [['gunzip', 'a.txt']] },
  ]
  f.split = [
    ['-l', '2', 'a.txt'], ['-b', '10', 'long.txt', 'part-'], ['-n', '3', 'a.txt'], ['-n', 'l/3', 'long.txt', 'c'], ['-n', '2/3', 'a.txt'], ['-n', 'l/2/3', 'b.txt'],
    ['-d', '-a', '3', '--additional-suffix=.txt', '-l', '1', 'a.txt', 'p'], ['--verbose', '-l', '3', 'b.txt'], ['-l', '1', '-a', '1', 'nums.txt'], ['nope'], ['-l', '0', 'a.txt'],
    ['empty.txt'], ['-n', '4', 'empty.txt'], ['-b', '1K', 'bin.dat'], ['-l', '2', 'noeol.txt', 'n'], ['-a', '1', '-l', '1', 'long.txt'], ['-e', '-n', '3', 'a.txt'],
  ].map((args) => ({ stages: [['split', ...args]] }))
  f.split.push({ stages: [['cat', 'long.txt'], ['split', '-b', '7', '-', 's']] }, { stages: [['seq', '700'], ['split', '-l', '1']] }, { stages: [['seq', '120'], ['split', '-l', '1', '-d']] })
  f.du = cross([[], ['-a'], ['-s'], ['-sh'], ['-h'], ['-b'], ['-ab'], ['-c'], ['-d1'], ['--max-depth=0'], ['-k'], ['-sc'], ['-ah'], ['--apparent-size', '-a']], [[], ['dir'], ['dir', 'other'], ['a.txt', 'long.txt'], ['dir', 'dir/one.txt'], ['nope']])
  f.timeout = [
    ['5', 'echo', 'hi'], ['1s', 'cat', 'a.txt'], ['0', 'true'], ['2', 'false'], ['x', 'true'], [], ['5'], ['-s', 'KILL', '5', 'echo', 'k'], ['-k', '1', '5', 'wc', '-l', 'a.txt'],
    ['0.2', 'sleep', '5'], ['--preserve-status', '0.2', 'sleep', '5'], ['-s', 'KILL', '0.2', 'sleep', '5'], ['-s', 'NOPE', '1', 'true'], ['1m', 'grep', '-c', 'an', 'a.txt'], ['-v', '5', 'seq', '3'],
  ].map((args) => ({ stages: [['timeout', ...args]] }))
  f.timeout.push({ stages: [['cat', 'a.txt'], ['timeout', '5', 'sort']] })
  // Archive bytes carry owners and times, so the harness compares what comes back out of them.
  f.tar = [
    [['tar', '-cf', '-', 'dir'], ['tar', '-tf', '-'], ['sort']],
    [['tar', '-cf', '-', 'a.txt', 'dir'], ['tar', '-xf', '-', '-C', 'other']],
    [['tar', '-czf', '-', 'dir', 'b.txt'], ['tar', '-xzf', '-', '-C', 'emptydir']],
    [['tar', 'czf', '-', 'dir'], ['tar', 'tzf', '-'], ['sort']],
    [['tar', '-cf', '-', 'a.txt'], ['tar', '-xOf', '-']],
    [['tar', '-cf', '-', 'dir'], ['tar', '-xvf', '-', '-C', 'other'], ['sort']],
    [['tar', '-cf', '-', 'dir'], ['tar', '-xf', '-', 'dir/sub']],
    [['tar', '-cf', '-', 'dir'], ['tar', '-tf', '-', 'dir/two.md']],
    [['tar', '-cf', '-', 'a.txt'], ['tar', '-tf', '-', 'zz']],
    [['tar', '-czf', '-', 'a.txt'], ['tar', '-tf', '-']],
    [['tar', '-cf', '-', 'nope', 'a.txt'], ['tar', '-tf', '-']],
    [['tar', '-cf', '-', 'nope']],
    [['tar', '-cf', '-']],
    [['tar', '-tf', 'nope.tar']],
    [['tar', '-tf', 'a.txt']],
    [['tar', '-tf', 'empty.txt']],
    [['tar', '-xf', 'nope.tar']],
    [['tar', '-cf', '-', 'a.txt'], ['tar', '-xf', '-', '-C', 'nodir']],
    [['tar', '-cf', '-', 'bin.dat', 'unicode.txt'], ['tar', '-xOf', '-'], ['md5sum']],
    [['tar', '--create', '--file=-', 'long.txt'], ['tar', '--extract', '--to-stdout', '--file', '-']],
    [['tar', '-cf', '-', '.'], ['tar', '-tf', '-'], ['sort']],
  ].map((stages) => ({ stages }))
  return f
}

/** Filters a random pipeline may chain: each gets argv from its own small menu. */
const FILTERS = [
  ['sort'], ['sort', '-r'], ['sort', '-n'], ['sort', '-u'], ['uniq'], ['uniq', '-c'], ['head', '-n', '3'], ['tail', '-n', '2'], ['wc', '-l'], ['wc'],
  ['grep', 'a'], ['grep', '-v', 'e'], ['grep', '-c', 'an'], ['grep', '-oE', '[a-z]+'], ['grep', '-i', 'b'], ['tr', 'a-z', 'A-Z'], ['tr', '-d', 'aeiou'], ['tr', '-s', ' '],
  ['cut', '-c', '1-4'], ['cut', '-d', ' ', '-f1'], ['sed', 's/a/X/g'], ['sed', '-n', '1~2p'], ['sed', '$!d'], ['sed', '-E', 's/([a-z])([a-z])/\\2\\1/'], ['rev'], ['nl'], ['nl', '-ba'],
  ['fold', '-w', '8'], ['paste', '-s', '-d,'], ['tac'], ['cat', '-n'], ['column', '-t'], ['od', '-c'], ['md5sum'], ['base64'], ['fold', '-s', '-w', '12'],
]

function pipelines(count) {
  const random = prng(SEED)
  const pick = (list) => list[Math.floor(random() * list.length)]
  const out = []
  for (let i = 0; i < count; i++) {
    const stages = [['cat', pick(TEXT_FILES)]]
    const length = 1 + Math.floor(random() * 3)
    for (let s = 0; s < length; s++) stages.push(pick(FILTERS))
    out.push({ stages })
  }
  return out
}

/** Families whose entries are whole argvs (several utilities, or the name already included). */
const WHOLE_ARGV = new Set(['digests', 'names', 'test', 'tac', 'env', 'rev'])

export function generateCases() {
  const cases = []
  for (const [family, entries] of Object.entries(families())) {
    for (const entry of entries) {
      const testCase = Array.isArray(entry) ? { stages: [WHOLE_ARGV.has(family) ? entry : [family, ...entry]] } : entry
      cases.push({ family, ...testCase })
    }
  }
  for (const [argv, stdout] of IDENTITY_CASES) cases.push({ family: 'identity', stages: [argv], fixed: { stdout, exitCode: 0 } })
  for (const pipeline of pipelines(700)) cases.push({ family: 'pipeline', ...pipeline })
  return cases.map((testCase, index) => ({ id: index, ...testCase }))
}
