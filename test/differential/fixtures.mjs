/**
 * The fixture tree every differential case starts from, the same on GNU (a
 * temp directory) and on tier 1 (fsx memory). Paths ending in / are empty
 * directories.
 */
const binary = Buffer.concat([Buffer.from('abc\0\x01\x02\n', 'latin1'), Buffer.from([0xff, 0xfe, 0x80]), Buffer.from([...Array(64).keys()])])

export const FIXTURES = {
  'a.txt': 'apple\nbanana\ncherry\napple pie\nBanana split\n',
  'b.txt': 'apple\nblueberry\ncherry\ndate\nBanana split\nfig\n',
  'bin.dat': binary,
  'blanks.txt': 'a\n\n\n\nb\n\nc\n',
  'crlf.txt': 'one\r\ntwo\r\n',
  'dir/.hidden': 'h\n',
  'dir/one.txt': 'x one\n',
  'dir/sub/three.txt': 'three x\n',
  'dir/two.md': 'two\n',
  'dup.txt': 'a\na\nb\nc\nc\nc\nd\na\n',
  'empty.txt': '',
  'emptydir/': '',
  'left.txt': '1 ann red\n2 bob blue\n3 cy green\n5 eve pink\n',
  'log.txt': '2024-01-01 ERROR disk full\n2024-01-01 INFO ok\n2024-01-02 WARN slow 250ms\n2024-01-02 ERROR timeout after 30s\n',
  'long.txt': 'The quick brown fox jumps over the lazy dog and keeps on running far beyond the horizon line\nshort\n\ttabbed line that is also quite long indeed, long enough to fold\n',
  'noeol.txt': 'first\nsecond',
  'nums.txt': '10\n2\n33\n-4\n2\n1.5\n',
  'other/': '',
  'right.txt': '1 paris\n2 rome\n4 oslo\n5 lima\n',
  'scores.csv': 'id,name,score\n1,ann,90\n2,bob,85\n3,cy,90\n4,dee,100\n',
  'sorted1.txt': 'ant\nbee\ncat\ndog\nemu\n',
  'sorted2.txt': 'bee\ncow\ndog\nelk\nemu\nfox\n',
  'table.txt': 'name age city\nann 31 Paris\nbob 25 Rome\ncyrus 4 Oslo\n',
  'tabs.tsv': 'name\tage\tcity\nann\t31\tParis\nbob\t25\tRome\ncy\t31\tOslo\n',
  'unicode.txt': 'héllo wörld\nñandú\n日本語テキスト\nemoji 😀 end\nÉcole\n',
  'words.txt': '  leading spaces\ttab\n\nfoo  bar baz\nlast',
}

/** Text fixtures the generator feeds to filters. */
export const TEXT_FILES = ['a.txt', 'b.txt', 'nums.txt', 'noeol.txt', 'empty.txt', 'crlf.txt', 'tabs.tsv', 'scores.csv', 'unicode.txt', 'dup.txt', 'log.txt', 'words.txt', 'long.txt', 'blanks.txt', 'table.txt']
