/**
 * The file tree the awk, xargs and find differential suites run over, on
 * tier 1 (fsx memory) and under the real GNU tools (a temp dir). Paths
 * ending in / are empty directories.
 */
export const FIXTURES = {
  'data.csv': 'name,qty,price\napple,3,0.5\nbanana,12,0.25\ncherry,7,2\ndate,,1.75\n',
  'scores.txt': 'ann 90 math\nbob 85 art\ncy 90 math\ndee 100 art\neve 72 music\n',
  'a.txt': 'apple\nbanana\ncherry\napple pie\nBanana split\n',
  'nums.txt': '10\n2\n33\n-4\n2\n1.5\n0x1A\n1e3\n',
  'words.txt': '  leading spaces\ttab\n\nfoo  bar baz\nthe quick brown fox\nlast',
  'passwd': 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nann:x:1000:1000:Ann,,,:/home/ann:/bin/zsh\n',
  'log.txt': '2024-01-01 ERROR disk full\n2024-01-01 INFO ok\n2024-01-02 WARN slow 250ms\n2024-01-02 ERROR timeout after 30s\n',
  'para.txt': 'name: ann\nage: 31\n\n\nname: bob\nage: 25\n\nname: cy\n',
  'unicode.txt': 'héllo wörld\nñandú\n日本語 テキスト\n',
  'tabs.tsv': 'k\tv\nx\t1\ny\t2\n',
  'empty.txt': '',
  'noeol.txt': 'first\nsecond',
  'list.txt': 'a.txt\nnums.txt\nnope.txt\n',
  'names0.bin': 'a.txt\0dir/one.txt\0with space.txt\0',
  'with space.txt': 'spaced\n',
  'prog.awk': '# sum a column\n{ total += $2 }\nEND { printf "%d lines, total %d\\n", NR, total }\n',
  'dir/one.txt': 'x one\n',
  'dir/two.md': 'two\ntwo\n',
  'dir/sub/three.txt': 'three x\n',
  'dir/sub/deep/four.log': '4444\n',
  'dir/.hidden': 'h\n',
  'dir/big.dat': 'x'.repeat(5000) + '\n',
  'emptydir/': '',
}
