#!/usr/bin/env node
/**
 * Records what the real GNU tools print for every golden case, so the tier-1
 * test can assert byte-for-byte equality without GNU at test time.
 *
 *   node test/execution/native/record-golden.mjs      # rewrites golden.json
 *
 * Each case runs in a fresh temp dir holding FIXTURES, with LC_ALL=C.UTF-8
 * and TZ=UTC; its steps run in order (later steps see earlier steps' files)
 * and every step's stdout, stderr and exit status is recorded. `unordered`
 * cases compare stdout as sorted lines, for tools whose GNU output follows
 * readdir order (find, grep -r), which is arbitrary.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))

const binary = Buffer.concat([Buffer.from('abc\0\x01\x02', 'latin1'), Buffer.from([0xff, 0xfe]), Buffer.from([...Array(256).keys()])])

/** path → text, or { base64 } for binary files; paths ending in / are empty directories. */
const FIXTURES = {
  'a.txt': 'apple\nbanana\ncherry\napple pie\nBanana split\n',
  'nums.txt': '10\n2\n33\n-4\n2\n1.5\n',
  'noeol.txt': 'first\nsecond',
  'empty.txt': '',
  'crlf.txt': 'one\r\ntwo\r\n',
  'tabs.tsv': 'name\tage\tcity\nann\t31\tParis\nbob\t25\tRome\ncy\t31\tOslo\n',
  'scores.csv': 'id,name,score\n1,ann,90\n2,bob,85\n3,cy,90\n4,dee,100\n',
  'unicode.txt': 'héllo wörld\nñandú\n日本語テキスト\nemoji 😀 end\nÉcole\n',
  'dup.txt': 'a\na\nb\nc\nc\nc\nd\na\n',
  'case.txt': 'apple\nApple\nAPPLE\nbanana\n',
  'blanks.txt': 'a\n\n\n\nb\n\nc\n',
  'log.txt': '2024-01-01 ERROR disk full\n2024-01-01 INFO ok\n2024-01-02 WARN slow 250ms\n2024-01-02 ERROR timeout after 30s\n',
  'special.txt': 'a.b\naxb\n[x]\nend$\n',
  'words.txt': '  leading spaces\ttab\n\nfoo  bar baz\nlast',
  'keys.txt': 'b 2 x\na 10 y\nc 1 z\na 2 w\nB 3 v\n',
  'bin.dat': { base64: binary.toString('base64') },
  'dir/one.txt': 'x one\n',
  'dir/two.md': 'two\n',
  'dir/sub/three.txt': 'three x\n',
  'dir/.hidden': 'h\n',
  'emptydir/': '',
}
// A checksum list for sha256sum -c: one good line, one bad hash, one missing file, one malformed line.
FIXTURES['sums.txt'] = [
  `${createHash('sha256').update(FIXTURES['a.txt']).digest('hex')}  a.txt`,
  `${'0'.repeat(64)}  nums.txt`,
  `${createHash('sha256').update('').digest('hex')}  missing.txt`,
  'not a checksum line',
  '',
].join('\n')

const step = (...argv) => ({ argv })
const withStdin = (stdin, ...argv) => ({ argv, stdin })
const one = (name, ...argv) => ({ name, steps: [step(...argv)] })
const piped = (name, stdin, ...argv) => ({ name, steps: [withStdin(stdin, ...argv)] })
const steps = (name, ...list) => ({ name, steps: list.map((argv) => step(...argv)) })
const unordered = (testCase) => ({ ...testCase, unordered: true })

const CASES = [
  // cat
  one('cat a file', 'cat', 'a.txt'),
  one('cat -n across a file without final newline', 'cat', '-n', 'a.txt', 'noeol.txt'),
  one('cat concatenates no-eol, empty and CRLF files', 'cat', 'noeol.txt', 'empty.txt', 'crlf.txt'),
  one('cat reports a missing file and goes on', 'cat', 'nope.txt', 'a.txt'),
  one('cat of a directory', 'cat', 'dir'),
  one('cat -A shows tabs, CR and line ends', 'cat', '-A', 'tabs.tsv', 'crlf.txt'),
  one('cat -s squeezes blank lines', 'cat', '-s', 'blanks.txt'),
  one('cat -b numbers non-blank lines', 'cat', '-b', 'blanks.txt'),
  piped('cat - reads stdin between files', 'from stdin\n', 'cat', 'noeol.txt', '-', 'crlf.txt'),
  one('cat quotes a name with a space', 'cat', 'no such'),
  one('cat -v on binary bytes', 'cat', '-v', 'bin.dat'),
  one('cat binary bytes unchanged', 'cat', 'bin.dat'),
  // echo
  one('echo words', 'echo', 'hello', 'world'),
  one('echo -n', 'echo', '-n', 'abc'),
  one('echo -e escapes', 'echo', '-e', 'a\\tb\\nc\\\\d \\x41 \\0101 \\101'),
  one('echo -e \\c stops output', 'echo', '-e', 'stop\\cnever', 'more'),
  one('echo does not take --', 'echo', '--', '-n'),
  one('echo prints unknown options', 'echo', '-x', '-n'),
  one('echo -ne combined', 'echo', '-ne', 'x\\n'),
  one('echo without arguments', 'echo'),
  one('echo without -e keeps backslashes', 'echo', 'a\\nb'),
  // printf
  one('printf reuses the format', 'printf', '%s-%d\\n', 'a', '1', 'b', '2', 'c'),
  one('printf floats', 'printf', '%5.2f|%-8.3e|%g|%g|%G|%f\\n', '3.14159', '1234.5', '0.0001', '123456789', '1e-10', '2'),
  one('printf integer bases', 'printf', '%x %X %o %#x %#o %u %i\\n', '255', '255', '8', '255', '8', '-1', '0x1F'),
  one('printf integer flags', 'printf', '%05d|%-5d|%+d|% d|%.3d|%5.3d\\n', '42', '42', '42', '42', '7', '7'),
  one('printf %c %b %%', 'printf', '%c%c|%b|%%\\n', 'hello', 'w', 'a\\tb\\0101'),
  one('printf bad numbers', 'printf', '%d|%d|%d\\n', '12abc', 'abc', ''),
  one('printf rounds half to even', 'printf', '%.0f %.0f %.0f %.1f %.2f\\n', '0.5', '1.5', '2.5', '0.25', '1.005'),
  one('printf without newline', 'printf', 'no newline'),
  one('printf %s precision counts bytes', 'printf', '%.3s|%5s|%-4s|\\n', 'héllo', 'wö', 'ab'),
  one('printf escapes in the format', 'printf', '\\u00e9\\x41\\101\\t\\"\\n'),
  one('printf star width and precision', 'printf', '%*d|%-*d|%.*f\\n', '5', '1', '4', '2', '2', '3.14159'),
  one('printf ignores excess arguments', 'printf', 'x\\n', 'extra'),
  one('printf invalid conversion', 'printf', 'ok %z'),
  one('printf character constants', 'printf', '%d %d\\n', "'A", '"é'),
  one('printf %e and %g edges', 'printf', '%e %g %g %g %.3g\\n', '0', '100000', '1000000', '0.00001234', '2.5'),
  one('printf missing operand', 'printf'),
  one('printf \\c in %b stops everything', 'printf', '%b|%s\\n', 'one\\ctwo', 'three'),
  // head
  one('head -n 2', 'head', '-n', '2', 'a.txt'),
  one('head -3 (obsolete form)', 'head', '-3', 'a.txt'),
  one('head -n -2 (all but last)', 'head', '-n', '-2', 'a.txt'),
  one('head -c counts bytes', 'head', '-c', '5', 'unicode.txt'),
  one('head -c -3', 'head', '-c', '-3', 'noeol.txt'),
  one('head of two files prints headers', 'head', '-n', '1', 'a.txt', 'noeol.txt'),
  one('head reports unreadable files', 'head', '-n', '1', 'nope.txt', 'a.txt', 'dir'),
  one('head with a bad count', 'head', '-n', 'x', 'a.txt'),
  one('head -q hides headers', 'head', '-q', '-n1', 'a.txt', 'nums.txt'),
  piped('head reads stdin', '1\n2\n3\n', 'head', '-n', '2'),
  one('head of a file without final newline', 'head', '-n', '5', 'noeol.txt'),
  // tail
  one('tail -n 2', 'tail', '-n', '2', 'a.txt'),
  one('tail -n +3', 'tail', '-n', '+3', 'a.txt'),
  one('tail -c 4 without final newline', 'tail', '-c', '4', 'noeol.txt'),
  one('tail -1 without final newline', 'tail', '-1', 'noeol.txt'),
  one('tail of two files', 'tail', '-n', '1', 'a.txt', 'crlf.txt'),
  one('tail -c +3', 'tail', '-c', '+3', 'nums.txt'),
  one('tail of an empty file', 'tail', 'empty.txt'),
  one('tail reports unreadable files', 'tail', 'nope.txt', 'dir', 'noeol.txt'),
  piped('tail +2 reads stdin', 'a\nb\nc\n', 'tail', '+2'),
  // wc
  one('wc of a file', 'wc', 'a.txt'),
  one('wc -l of a file', 'wc', '-l', 'a.txt'),
  piped('wc -l of stdin', 'a\nb\n', 'wc', '-l'),
  piped('wc of stdin', 'hello world\nfoo\n', 'wc'),
  one('wc of several files with total', 'wc', 'a.txt', 'nums.txt', 'unicode.txt'),
  one('wc -cm counts chars and bytes', 'wc', '-cm', 'unicode.txt'),
  one('wc -w with tabs and leading spaces', 'wc', '-w', 'words.txt', 'tabs.tsv'),
  one('wc with a missing file and a directory', 'wc', 'nope.txt', 'a.txt', 'dir'),
  one('wc -l counts newlines only', 'wc', '-l', 'noeol.txt', 'empty.txt'),
  one('wc of binary data', 'wc', 'bin.dat'),
  // grep
  one('grep a substring', 'grep', 'an', 'a.txt'),
  one('grep -i', 'grep', '-i', 'banana', 'a.txt'),
  one('grep -v', 'grep', '-v', 'an', 'a.txt'),
  one('grep -n -i', 'grep', '-n', '-i', 'APPLE', 'a.txt'),
  one('grep -c over two files', 'grep', '-c', 'a', 'a.txt', 'nums.txt'),
  one('grep -E alternation', 'grep', '-E', 'ERROR|WARN', 'log.txt'),
  one('grep BRE \\| alternation', 'grep', 'ERROR\\|WARN', 'log.txt'),
  one('grep -o with BRE \\+', 'grep', '-o', '[0-9]\\+', 'log.txt'),
  one('grep -w', 'grep', '-w', 'apple', 'a.txt'),
  one('grep -x', 'grep', '-x', 'apple', 'a.txt'),
  one('grep -F takes the pattern literally', 'grep', '-F', 'a.b', 'special.txt'),
  one('grep . is any character', 'grep', 'a.b', 'special.txt'),
  one('grep without a match exits 1', 'grep', 'zzz', 'a.txt'),
  one('grep of a missing file exits 2', 'grep', 'x', 'nope.txt'),
  one('grep -l', 'grep', '-l', 'x', 'dir/one.txt', 'dir/two.md', 'a.txt'),
  one('grep -rl in a directory', 'grep', '-rl', 'three', 'dir'),
  one('grep -r from .', 'grep', '-r', 'x one', '.'),
  one('grep -q', 'grep', '-q', 'apple', 'a.txt'),
  one('grep -oE with a group', 'grep', '-oE', 'ba(na)+', 'a.txt'),
  one('grep back-reference', 'grep', '\\(an\\)\\1', 'a.txt'),
  one('grep [[:upper:]]', 'grep', '[[:upper:]]', 'a.txt'),
  one('grep refuses [:upper:]', 'grep', '[:upper:]', 'a.txt'),
  one('grep -e twice', 'grep', '-e', 'apple', '-e', 'cherry', 'a.txt'),
  one('grep -i with accents', 'grep', '-i', 'ÑANDÚ', 'unicode.txt'),
  one('grep -c of empty pattern', 'grep', '-c', '', 'empty.txt', 'noeol.txt'),
  one('grep -A1 with a group separator', 'grep', '-A1', 'apple', 'a.txt'),
  one('grep -B1 -n', 'grep', '-B1', '-n', 'cherry', 'a.txt'),
  one('grep -C1', 'grep', '-C1', 'pie', 'a.txt'),
  one('grep on binary data', 'grep', 'abc', 'bin.dat'),
  one('grep \\< word start', 'grep', '\\<pi', 'a.txt'),
  one('grep -E interval', 'grep', '-E', 'p{2}', 'a.txt'),
  one('grep unmatched \\{', 'grep', 'a\\{1', 'a.txt'),
  one('grep -m1', 'grep', '-m1', 'an', 'a.txt'),
  one('grep -H on one file', 'grep', '-H', 'cherry', 'a.txt'),
  one('grep -L', 'grep', '-L', 'zzz', 'a.txt', 'nums.txt'),
  one('grep -s hides errors', 'grep', '-s', 'x', 'nope.txt'),
  piped('grep -n on stdin', 'one\ntwo\nthree\n', 'grep', '-n', 'o'),
  one('grep a directory without -r', 'grep', 'x', 'dir'),
  one('grep [^...] and $ anchor', 'grep', '[^a-z]$', 'special.txt'),
  one('grep literal $ in the middle', 'grep', 'd$x\\|end\\$', 'special.txt'),
  one('grep CRLF lines keep the CR', 'grep', 'one', 'crlf.txt'),
  one('grep -c -v', 'grep', '-cv', 'a', 'a.txt'),
  one('grep -o -i several per line', 'grep', '-o', '-i', 'an', 'a.txt'),
  // sort
  one('sort by code point', 'sort', 'a.txt'),
  one('sort -r', 'sort', '-r', 'a.txt'),
  one('sort -n', 'sort', '-n', 'nums.txt'),
  one('sort -rn', 'sort', '-rn', 'nums.txt'),
  one('sort -u', 'sort', '-u', 'dup.txt'),
  one('sort -t, -k3,3n -k2', 'sort', '-t,', '-k3,3n', '-k2', 'scores.csv'),
  one('sort -k2n with blank-separated fields', 'sort', '-k2n', 'keys.txt'),
  one('sort -k2,2 -k1,1r', 'sort', '-k2,2', '-k1,1r', 'keys.txt'),
  one('sort -f folds case', 'sort', '-f', 'case.txt'),
  one('sort unicode', 'sort', 'unicode.txt'),
  one('sort adds the missing final newline', 'sort', 'noeol.txt'),
  one('sort of a missing file', 'sort', 'nope.txt'),
  one('sort with field 0', 'sort', '-k', '0', 'a.txt'),
  one('sort an empty file', 'sort', 'empty.txt'),
  one('sort -u -f keeps the first of equal lines', 'sort', '-uf', 'case.txt'),
  one('sort several files', 'sort', 'dup.txt', 'case.txt'),
  one('sort -s -k1,1 is stable', 'sort', '-s', '-k1,1', 'keys.txt'),
  one('sort -t tab', 'sort', '-t', '\t', '-k2,2n', '-k1,1', 'tabs.tsv'),
  // uniq
  one('uniq', 'uniq', 'dup.txt'),
  one('uniq -c', 'uniq', '-c', 'dup.txt'),
  one('uniq -d', 'uniq', '-d', 'dup.txt'),
  one('uniq -u', 'uniq', '-u', 'dup.txt'),
  one('uniq -i', 'uniq', '-i', 'case.txt'),
  one('uniq -ci', 'uniq', '-ci', 'case.txt'),
  one('uniq adds the final newline', 'uniq', 'noeol.txt'),
  piped('uniq of stdin', 'x\nx\ny\n', 'uniq', '-c'),
  // cut
  one('cut -d, -f2', 'cut', '-d,', '-f2', 'scores.csv'),
  one('cut -d, -f1,3', 'cut', '-d', ',', '-f', '1,3', 'scores.csv'),
  one('cut -f2- with tabs', 'cut', '-f2-', 'tabs.tsv'),
  one('cut -c1-3', 'cut', '-c1-3', 'a.txt'),
  one('cut -c2,4-', 'cut', '-c', '2,4-', 'a.txt'),
  one('cut passes lines without the delimiter', 'cut', '-d', ' ', '-f2', 'a.txt'),
  one('cut -s drops lines without the delimiter', 'cut', '-s', '-d', ' ', '-f2', 'a.txt'),
  one('cut -b -3', 'cut', '-b', '-3', 'a.txt'),
  one('cut without a list', 'cut', 'a.txt'),
  one('cut -f with a reversed range', 'cut', '-f', '3-1', 'a.txt'),
  one('cut --complement', 'cut', '-d,', '--complement', '-f2', 'scores.csv'),
  one('cut --output-delimiter', 'cut', '-d,', '-f1,3', '--output-delimiter=;', 'scores.csv'),
  // tr
  piped('tr ranges', 'Hello World\n', 'tr', 'a-z', 'A-Z'),
  piped('tr -d', 'banana split\n', 'tr', '-d', 'aeiou'),
  piped('tr -s spaces', 'a   b  c\n', 'tr', '-s', ' '),
  piped('tr classes', 'Mixed Case 123\n', 'tr', '[:lower:]', '[:upper:]'),
  piped('tr -cd keeps a set', 'a-b_c 1!2\n', 'tr', '-cd', '[:alnum:]\\n'),
  piped('tr pads SET2 with its last character', 'abcdef\n', 'tr', 'abc', 'x'),
  piped('tr -s newlines', 'a\n\n\nb\n\n', 'tr', '-s', '\\n'),
  piped('tr tab to comma', 'a\tb\tc\n', 'tr', '\\t', ','),
  piped('tr -d CR', 'one\r\ntwo\r\n', 'tr', '-d', '\\r'),
  piped('tr -c translate complement', 'hello, world!\n', 'tr', '-c', 'a-z\\n', '_'),
  piped('tr -ds', 'aabbccdd\n', 'tr', '-ds', 'a', 'b'),
  piped('tr octal escape', 'a b\n', 'tr', ' ', '\\055'),
  // sed
  one('sed s', 'sed', 's/apple/APPLE/', 'a.txt'),
  one('sed s///g', 'sed', 's/a/X/g', 'a.txt'),
  one('sed -n 2p', 'sed', '-n', '2p', 'a.txt'),
  one('sed 2d', 'sed', '2d', 'a.txt'),
  one('sed -n /re/p', 'sed', '-n', '/an/p', 'a.txt'),
  one('sed 2,4d', 'sed', '2,4d', 'a.txt'),
  one('sed $d', 'sed', '$d', 'a.txt'),
  one('sed -E groups', 'sed', '-E', 's/([a-z]+) ([a-z]+)/\\2 \\1/', 'a.txt'),
  one('sed BRE groups', 'sed', 's/\\(b\\)\\(an\\)/[\\2\\1]/', 'a.txt'),
  one('sed & and the Nth match', 'sed', 's/a/<&&>/2', 'a.txt'),
  one('sed -e twice', 'sed', '-e', 's/a/A/', '-e', 's/e/E/g', 'a.txt'),
  one('sed s///i', 'sed', 's/APPLE/x/I', 'a.txt'),
  one('sed -n s///gp', 'sed', '-n', 's/an/AN/gp', 'a.txt'),
  one('sed /re/,/re/d', 'sed', '/^apple$/,/cherry/d', 'a.txt'),
  one('sed -n $=', 'sed', '-n', '$=', 'a.txt'),
  one('sed keeps a missing final newline', 'sed', 's/$/;/', 'noeol.txt'),
  one('sed y', 'sed', 'y/abc/xyz/', 'a.txt'),
  one('sed 1i and $a', 'sed', '-e', '1i header', '-e', '$a footer', 'a.txt'),
  one('sed 2q', 'sed', '2q', 'a.txt'),
  one('sed with another delimiter', 'sed', 's|-|/|g', 'log.txt'),
  one('sed unterminated s', 'sed', 's/x', 'a.txt'),
  one('sed unknown command', 'sed', 'k', 'a.txt'),
  one('sed several commands with ;', 'sed', '-n', '/apple/{s/apple/A/;p}', 'a.txt'),
  one('sed ! negation', 'sed', '/an/!d', 'a.txt'),
  one('sed c', 'sed', '2c\\\nchanged', 'a.txt'),
  one('sed = prints line numbers', 'sed', '=', 'noeol.txt'),
  one('sed 0~2 step', 'sed', '-n', '0~2p', 'a.txt'),
  one('sed addr,+N', 'sed', '/cherry/,+1d', 'a.txt'),
  one('sed \\n in replacement', 'sed', 's/ /\\n/', 'a.txt'),
  one('sed escaped & is literal', 'sed', 's/pie/\\&/', 'a.txt'),
  one('sed of a missing file', 'sed', 'p', 'nope.txt'),
  one('sed s on CRLF', 'sed', 's/o$/0/', 'crlf.txt'),
  one('sed over two files continues line numbers', 'sed', '-n', '$p;3p', 'a.txt', 'nums.txt'),
  steps('sed -i edits in place', ['sed', '-i', 's/apple/pear/', 'a.txt'], ['cat', 'a.txt']),
  // ls
  one('ls of the cwd', 'ls'),
  one('ls -a', 'ls', '-a', 'dir'),
  one('ls -1', 'ls', '-1', 'dir'),
  one('ls -R', 'ls', '-R', 'dir'),
  one('ls of a missing path', 'ls', 'nope'),
  one('ls of a file and directories', 'ls', 'a.txt', 'dir', 'emptydir'),
  one('ls -A', 'ls', '-A', 'dir'),
  one('ls -d', 'ls', '-d', 'dir', 'a.txt'),
  // find
  unordered(one('find a directory', 'find', 'dir')),
  unordered(one('find -name', 'find', 'dir', '-name', '*.txt')),
  one('find -type d', 'find', 'dir', '-type', 'd'),
  unordered(one('find -maxdepth 1 -type f', 'find', '.', '-maxdepth', '1', '-type', 'f')),
  unordered(one('find -type f -name t*', 'find', 'dir', '-type', 'f', '-name', 't*')),
  one('find of a missing path', 'find', 'nope'),
  one('find -mindepth 2', 'find', 'dir', '-mindepth', '2'),
  one('find -iname', 'find', 'dir', '-iname', 'ONE*'),
  unordered(one('find ! -name', 'find', 'dir', '!', '-name', '*.txt', '-type', 'f')),
  unordered(one('find -o', 'find', 'dir', '-name', '*.md', '-o', '-name', 'three*')),
  one('find -empty', 'find', '.', '-empty', '-type', 'd'),
  one('find -path', 'find', 'dir', '-path', '*/sub/*'),
  // stat
  // Directory sizes are a property of the disk (4096 on ext4, 0 in fsx), so only files show %s.
  one('stat -c %s %n %F', 'stat', '-c', '%s %n %F', 'a.txt', 'empty.txt'),
  one('stat -c %n %F of a directory', 'stat', '-c', '%n: %F', 'dir'),
  one('stat of a missing file', 'stat', 'nope'),
  one('stat --printf', 'stat', '--printf', '%n=%s\\n', 'nums.txt'),
  // mkdir, rm, cp, mv, touch
  unordered(steps('mkdir -p', ['mkdir', '-p', 'x/y/z'], ['find', 'x'])),
  steps('mkdir of an existing directory', ['mkdir', 'dir']),
  steps('mkdir without parents', ['mkdir', 'a/b/c'], ['mkdir', 'q/r']),
  steps('rm a file', ['rm', 'a.txt'], ['cat', 'a.txt']),
  steps('rm of a missing file, and -f', ['rm', 'nope'], ['rm', '-f', 'nope']),
  steps('rm a directory needs -r', ['rm', 'dir'], ['rm', '-r', 'dir'], ['ls']),
  steps('cp a file', ['cp', 'a.txt', 'b.txt'], ['cat', 'b.txt']),
  unordered(steps('cp -r a directory', ['cp', 'dir', 'd2'], ['cp', '-r', 'dir', 'd2'], ['find', 'd2'])),
  steps('cp into a directory', ['cp', 'a.txt', 'nums.txt', 'emptydir'], ['ls', 'emptydir']),
  steps('mv a file', ['mv', 'a.txt', 'moved.txt'], ['ls']),
  steps('mv of a missing file', ['mv', 'nope', 'x']),
  steps('touch creates an empty file', ['touch', 'new.txt'], ['wc', '-c', 'new.txt']),
  steps('mv files into a directory', ['mv', 'a.txt', 'nums.txt', 'emptydir'], ['ls', 'emptydir', '.']),
  steps('cp of a missing file', ['cp', 'nope', 'x']),
  steps('rm -r several, one missing', ['rm', '-r', 'emptydir', 'nope', 'dir/sub'], ['find', 'dir', '-type', 'd']),
  steps('touch -c does not create', ['touch', '-c', 'ghost'], ['ls', 'ghost']),
  // basename, dirname, pwd
  one('basename', 'basename', '/a/b/c.txt'),
  one('basename with a suffix', 'basename', '/a/b/c.txt', '.txt'),
  one('basename -a', 'basename', '-a', 'x/y', 'z/w/'),
  one('basename -s', 'basename', '-s', '.md', 'a.md', 'b.md'),
  one('basename of /', 'basename', '/'),
  one('basename whose suffix is the whole name', 'basename', '.txt', '.txt'),
  one('dirname', 'dirname', '/a/b/c', 'a', '/', 'a/b/', 'x//y', '//z'),
  one('basename without operands', 'basename'),
  // base64
  one('base64 of a text file', 'base64', 'a.txt'),
  one('base64 wraps at 76', 'base64', 'bin.dat'),
  one('base64 -w 0', 'base64', '-w', '0', 'a.txt'),
  piped('base64 -d', 'aGVsbG8K\n', 'base64', '-d'),
  piped('base64 -d of invalid input', 'aGVsb!G8K\n', 'base64', '-d'),
  one('base64 -w 10 of unicode', 'base64', '-w', '10', 'unicode.txt'),
  piped('base64 -d of wrapped input', 'aGVs\nbG8g\nd29y\nbGQK\n', 'base64', '-d'),
  piped('base64 of empty input', '', 'base64'),
  // digests
  one('sha256sum', 'sha256sum', 'a.txt', 'empty.txt'),
  one('md5sum', 'md5sum', 'a.txt', 'bin.dat'),
  piped('sha256sum of stdin', 'hello\n', 'sha256sum'),
  one('sha256sum of a missing file', 'sha256sum', 'nope', 'a.txt'),
  one('md5sum of a directory', 'md5sum', 'dir'),
  // date
  one('date of the epoch', 'date', '-u', '-d', '@0'),
  one('date with a format', 'date', '-u', '-d', '@1700000000', '+%Y-%m-%d %H:%M:%S %j %a %A %b %B %p %s'),
  one('date short specifiers', 'date', '-u', '-d', '@1700000000', '+%F_%T_%D_%e_%y_%u_%w_%Z_%z_%h_%n_%t_%%'),
  one('date from a date string', 'date', '-u', '-d', '2024-02-29 13:05:09', '+%c|%x|%X|%r|%R|%I|%l|%k|%C|%G-%V|%U|%W|%P'),
  one('date -I', 'date', '-u', '-d', '@86399', '-I'),
  one('date --iso-8601=seconds', 'date', '-u', '-d', '@86399', '--iso-8601=seconds'),
  one('date -R', 'date', '-u', '-d', '@1700000000', '-R'),
  one('date flags', 'date', '-u', '-d', '@0', '+%-d|%_m|%05Y|%^a|%#b|%-H|%3N'),
  one('date of an ISO day', 'date', '-u', '-d', '2001-09-09', '+%s %A'),
  one('date with a bad string', 'date', '-d', 'not a date'),
  one('date week numbers at a year boundary', 'date', '-u', '-d', '2021-01-03', '+%G %V %U %W %g %u %w'),
  // seq
  one('seq LAST', 'seq', '5'),
  one('seq FIRST LAST', 'seq', '2', '4'),
  one('seq with an increment', 'seq', '1', '2', '10'),
  one('seq -w', 'seq', '-w', '8', '10'),
  one('seq -s', 'seq', '-s', ',', '1', '5'),
  one('seq with fractions', 'seq', '1', '0.5', '3'),
  one('seq counting down', 'seq', '5', '-1', '1'),
  one('seq tenths reach the end', 'seq', '0.1', '0.1', '0.5'),
  one('seq negative numbers', 'seq', '-3', '-1'),
  one('seq with nothing to print', 'seq', '1', '0'),
  one('seq with a bad number', 'seq', 'x'),
  one('seq -w with negatives', 'seq', '-w', '-1', '1'),
  one('seq with a zero increment', 'seq', '1', '0', '2'),
  // true, false, sleep, test
  one('true', 'true'),
  one('false', 'false'),
  one('sleep 0', 'sleep', '0'),
  one('sleep with a bad interval', 'sleep', 'x'),
  one('test -f', 'test', '-f', 'a.txt'),
  one('test -d', 'test', '-d', 'dir'),
  one('test -e of a missing path', 'test', '-e', 'nope'),
  one('test -s of an empty file', 'test', '-s', 'empty.txt'),
  one('test -s of a file', 'test', '-s', 'a.txt'),
  one('test -z', 'test', '-z', ''),
  one('test -n', 'test', '-n', 'x'),
  one('test =', 'test', 'a', '=', 'a'),
  one('test !=', 'test', 'a', '!=', 'a'),
  one('test -lt', 'test', '3', '-lt', '10'),
  one('test -le', 'test', '10', '-le', '3'),
  one('test -eq with spaces', 'test', ' 7 ', '-eq', '7'),
  one('test ! -f', 'test', '!', '-f', 'dir'),
  one('test -a', 'test', '-f', 'a.txt', '-a', '-d', 'dir'),
  one('test -o', 'test', '-f', 'nope', '-o', '-d', 'dir'),
  one('[ ]', '[', 'a', '=', 'a', ']'),
  one('[ without ]', '[', 'a', '=', 'a'),
  one('test with a non-integer', 'test', 'abc', '-eq', '1'),
  one('test without arguments', 'test'),
  one('test with one argument', 'test', 'x'),
  one('test with parentheses', 'test', '(', '-n', 'x', ')', '-a', '!', '-z', 'y'),
  one('test -gt -ge -ne', 'test', '5', '-gt', '4', '-a', '4', '-ge', '4', '-a', '1', '-ne', '2'),
  one('test with an unknown binary operator', 'test', 'a', '-foo', 'b'),
  // more edges
  one('sort -r -k2n: a key with options ignores global -r', 'sort', '-r', '-k2n', 'keys.txt'),
  one('sort -k2 inherits global -r -n', 'sort', '-t,', '-k2', '-rn', 'scores.csv'),
  one('sort -k2,2 -n -b', 'sort', '-k2,2', '-n', '-b', 'keys.txt'),
  one('sort -k1.2 by a character offset', 'sort', '-k1.2,1.3', 'a.txt'),
  one('sort -d ignores punctuation', 'sort', '-d', 'special.txt'),
  piped('sort -n with numbers beyond double precision', '12345678901234567890\n12345678901234567889\n-99999999999999999999.5\n0.000000000000000001\n-0\n0.0\nx\n', 'sort', '-n'),
  one('sort -c finds disorder', 'sort', '-c', 'a.txt'),
  one('sort -c of sorted input', 'sort', '-c', 'dup.txt'),
  steps('sort -o writes a file', ['sort', '-o', 'sorted.txt', 'nums.txt'], ['cat', 'sorted.txt']),
  one('sort -n with blanks and mixed text', 'sort', '-n', 'words.txt', 'nums.txt'),
  one('sha256sum -c', 'sha256sum', '-c', 'sums.txt'),
  one('sha256sum -c --quiet', 'sha256sum', '-c', '--quiet', 'sums.txt'),
  one('grep -r --include', 'grep', '-r', '--include=*.md', 't', 'dir'),
  unordered(one('grep -rn without an operand searches .', 'grep', '-rn', 'x')),
  one('grep -ow', 'grep', '-ow', 'apple', 'a.txt'),
  one('grep -xF with two patterns', 'grep', '-xF', '-e', 'cherry', '-e', 'apple', 'a.txt'),
  one('grep -w with punctuation', 'grep', '-w', 'ERROR', 'log.txt'),
  one('grep -c with -m', 'grep', '-c', '-m', '2', 'a', 'a.txt'),
  one('grep -E optional and anchors', 'grep', '-E', '^(apple|cherry)( pie)?$', 'a.txt'),
  one('grep -v -e empty', 'grep', '-v', '-e', '', 'a.txt'),
  steps('find -delete', ['find', 'dir', '-name', '*.txt', '-delete'], ['find', 'dir', '-type', 'f']),
  steps('sed -i with a backup suffix', ['sed', '-i.bak', 's/apple/pear/g', 'a.txt'], ['cat', 'a.txt', 'a.txt.bak']),
  steps('cp -r into an existing directory', ['cp', '-r', 'dir', 'emptydir'], ['find', 'emptydir', '-name', 'three.txt']),
  steps('mv a directory', ['mv', 'dir', 'moved'], ['ls', '-R', 'moved']),
  steps('mv into a directory that would contain itself', ['mv', 'dir', 'dir/sub']),
  steps('cp -n keeps the target', ['cp', '-n', 'a.txt', 'nums.txt'], ['cat', 'nums.txt']),
  steps('rm -d of an empty and a full directory', ['rm', '-d', 'emptydir', 'dir'], ['ls', '-d', 'emptydir']),
  steps('rm refuses . and ..', ['rm', '-rf', '.', '..']),
  one('uniq -f1', 'uniq', '-f1', 'keys.txt'),
  piped('uniq -s1 -w1', 'xa\nya\nxb\nxc\n', 'uniq', '-c', '-s1', '-w1'),
  one('printf %s with several arguments', 'printf', '%s\\n', 'a', 'b c', 'd'),
  one('printf octal and hex input', 'printf', '%d %d %d %o\\n', '010', '0x10', '-0x10', '64'),
  one('printf %5s with unicode', 'printf', '[%5s][%-5s]\\n', 'é', 'ñ'),
  piped('tr -t truncates SET1', 'abcd\n', 'tr', '-t', 'abcd', 'xy'),
  piped('tr translates newlines', 'a\nb\nc\n', 'tr', '\\n', ','),
  piped('tr -s classes to one space', 'a \t b\n\nc\n', 'tr', '-s', '[:space:]', ' '),
  piped('tr [x*] fills SET2', 'abcdef\n', 'tr', 'a-f', '[x*3]y'),
  one('echo -e more escapes', 'echo', '-e', '\\a\\e\\f\\v\\r|\\x\\q\\0'),
  one('date -d N days ago', 'date', '-u', '-d', '2024-01-01 3 days ago', '+%F'),
  one('date -d ISO with Z', 'date', '-u', '-d', '2024-01-01T10:00:00Z'),
  one('date -d with an offset', 'date', '-u', '-d', '2024-01-01 10:00 +0200'),
  one('date -d fractional epoch', 'date', '-u', '-d', '@1.5', '+%s.%N'),
  one('date --rfc-3339=seconds', 'date', '-u', '--rfc-3339=seconds', '-d', '@0'),
  one('date unknown conversions stay', 'date', '-u', '-d', '@0', '+%Q %E %Oy %:z %::z'),
  one('date padding and widths', 'date', '-u', '-d', '@0', '+%10A|%-10A|%^10a|%_5d|%05e'),
  one('date with an invalid day', 'date', '-u', '-d', '2024-02-30'),
  one('seq -f', 'seq', '-f', '%.2f', '1', '0.25', '2'),
  one('seq -s space', 'seq', '-s', ' ', '3'),
  one('seq -w with fractions', 'seq', '-w', '0.5', '0.5', '2'),
  one('cat -E and -T', 'cat', '-ET', 'tabs.tsv'),
  piped('tac of stdin', 'a\nb\nc\n', 'tac'),
  one('ls -F', 'ls', '-F', 'dir'),
  one('ls -r', 'ls', '-r', 'dir'),
  one('ls -p -a', 'ls', '-pa', 'dir'),
  one('stat --printf with escapes', 'stat', '--printf', '%n\\t%s\\n', 'a.txt', 'empty.txt'),
  one('sed \\U with &', 'sed', 's/.*/\\U&/', 'a.txt'),
  one('sed \\u and \\L', 'sed', '-E', 's/(\\w+) (\\w+)/\\u\\1 \\L\\2X/', 'a.txt'),
  one('sed join pairs with N', 'sed', '$!N;s/\\n/ /', 'a.txt'),
  one('sed join all lines with a loop', 'sed', ':a;N;$!ba;s/\\n/,/g', 'a.txt'),
  one('sed as tac', 'sed', '-n', '1!G;h;$p', 'a.txt'),
  one('sed \\t in a regex', 'sed', 's/\\t/|/g', 'tabs.tsv'),
  one('sed N;P;D', 'sed', '$!N;P;D', 'dup.txt'),
  one('sed t branches after a substitution', 'sed', '-e', 's/a/A/', '-e', 't', '-e', 's/$/ (no a)/', 'a.txt'),
  one('sed empty regex reuses the last one', 'sed', '-n', '/an/{s//AN/p}', 'a.txt'),
  one('sed s with g and a number', 'sed', 's/a/_/2g', 'a.txt'),
  one('sed c on a range', 'sed', '2,3c\\\nREPLACED', 'a.txt'),
  one('sed 0,/re/', 'sed', '0,/apple/s//X/', 'a.txt'),
  one('sed s with an empty match', 'sed', 's/x*/-/g', 'nums.txt'),
  one('sed -s separates files', 'sed', '-s', '-n', '$p', 'a.txt', 'nums.txt'),
  one('sed missing command', 'sed', '1'),
  one('sed unknown s option', 'sed', 's/a/b/k', 'a.txt'),
  one('sed unmatched {', 'sed', '/a/{p', 'a.txt'),
  one('sed unexpected }', 'sed', 'p}', 'a.txt'),
  one('sed y with unequal lengths', 'sed', 'y/ab/c/', 'a.txt'),
  one('sed multiple !', 'sed', '3!!p', 'a.txt'),
  one('sed unknown label', 'sed', 'bnowhere', 'a.txt'),
  one('sed comment with an address', 'sed', '1#x', 'a.txt'),
  one('sed a needs text', 'sed', 'a', 'a.txt'),
  one('sed a text with escapes', 'sed', '1a x\\ty\\\\z', 'a.txt'),
  one('sed i classic form', 'sed', '1i\\\nmulti\\\nline', 'a.txt'),
  one('head -c with a suffix', 'head', '-c', '1K', 'a.txt'),
  one('wc -l with stdin among files', 'wc', '-l', 'a.txt', '-'),
  // tee, tac, env-free extras
  { name: 'tee writes a file and stdout', steps: [withStdin('teed\n', 'tee', 'out.txt'), step('cat', 'out.txt')] },
  { name: 'tee -a appends', steps: [withStdin('more\n', 'tee', '-a', 'a.txt'), step('tail', '-n', '2', 'a.txt')] },
  one('tac', 'tac', 'a.txt', 'noeol.txt'),
]

function run(dir, { argv, stdin }) {
  const [command, ...args] = argv
  const result = spawnSync(command, args, {
    cwd: dir,
    input: stdin === undefined ? '' : stdin,
    env: { PATH: process.env.PATH, LC_ALL: 'C.UTF-8', TZ: 'UTC' },
  })
  const stdoutText = new TextDecoder('utf-8', { fatal: false }).decode(result.stdout)
  const utf8 = Buffer.from(stdoutText, 'utf8').equals(result.stdout)
  return {
    argv,
    ...(stdin === undefined ? {} : { stdin }),
    ...(utf8 ? { stdout: stdoutText } : { stdoutBase64: result.stdout.toString('base64') }),
    stderr: result.stderr.toString('utf8'),
    exitCode: result.status,
  }
}

function materialise(dir) {
  for (const [path, content] of Object.entries(FIXTURES)) {
    const full = join(dir, path)
    if (path.endsWith('/')) {
      mkdirSync(full, { recursive: true })
      continue
    }
    mkdirSync(dirname(full), { recursive: true })
    writeFileSync(full, typeof content === 'string' ? content : Buffer.from(content.base64, 'base64'))
  }
}

const names = new Set()
const cases = CASES.map((testCase) => {
  if (names.has(testCase.name)) throw new Error(`duplicate case name: ${testCase.name}`)
  names.add(testCase.name)
  const dir = mkdtempSync(join(tmpdir(), 'golden-'))
  try {
    materialise(dir)
    return { ...testCase, steps: testCase.steps.map((s) => run(dir, s)) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

const fixtures = Object.fromEntries(
  Object.entries(FIXTURES).map(([path, content]) => [path, typeof content === 'string' ? { text: content } : content]),
)
const out = join(here, 'golden.json')
writeFileSync(out, `${JSON.stringify({ recordedWith: 'GNU coreutils 9.1, grep 3.8, sed 4.9; LC_ALL=C.UTF-8 TZ=UTC', fixtures, cases }, null, 1)}\n`)
console.log(`${cases.length} cases, ${cases.reduce((n, c) => n + c.steps.length, 0)} steps → ${out}`)
