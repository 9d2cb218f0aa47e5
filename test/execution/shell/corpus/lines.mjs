/**
 * The shell corpus: a fixture tree and ≥1,000 lines of the kinds agents
 * write — loops over files, $(…) in arguments, here-documents writing
 * files, functions, case, arithmetic, read loops over find output, set
 * -euo pipefail scripts, parameter operators, arrays, [[ ]] — generated
 * from templates crossed with realistic values. Every line only uses
 * relative paths, so bash (in a temp dir) and tier 1 (in /work over fsx)
 * see the same tree.
 */

/**
 * How long one line may run, on bash and on tier 1 alike. No corpus line is about a timeout: the
 * largest take about a second, but a live run beside two other suites and a bench on two cores once
 * failed exactly its two largest (`seq 1 2000000 | wc -l`): the bound must measure bytes, not load.
 */
export const LINE_TIMEOUT_MS = 120_000

export const FIXTURES = {
  'README.md': '# Demo project\n\nA small project used by the shell corpus.\n\n## Usage\n\nRun `make` then `./app`.\n',
  'notes.txt': 'buy milk\ncall bob\nfix bug 42\nreview PR 7\n',
  'todo.txt': 'TODO: write tests\nDONE: setup ci\nTODO: release 1.2\n',
  'empty.txt': '',
  'src/app.py': 'import sys\n\ndef main():\n    print("hello")\n    return 0\n\nif __name__ == "__main__":\n    sys.exit(main())\n',
  'src/util.py': 'def add(a, b):\n    return a + b\n\n# TODO: more helpers\n',
  'src/main.js': "const x = require('./lib/helpers')\nconsole.log(x.greet('world'))\n// TODO: cleanup\n",
  'src/lib/helpers.js': "exports.greet = (name) => `hi ${name}`\n",
  'data/users.csv': 'name,age,city\nann,31,Paris\nbob,25,Rome\ncy,42,Oslo\ndee,19,Lima\n',
  'data/sales.csv': 'month,amount\njan,100\nfeb,250\nmar,175\napr,90\n',
  'data/log.txt': '2024-01-01 INFO start\n2024-01-01 ERROR disk full\n2024-01-02 WARN slow\n2024-01-02 ERROR timeout\n2024-01-03 INFO stop\n',
  'config/app.conf': 'port=8080\nhost=localhost\ndebug=false\n',
  'config/.env': 'API_KEY=dummy\nMODE=dev\n',
  'docs/guide.md': '# Guide\n\nStep one.\nStep two.\n',
  'scripts/build.sh': '#!/bin/sh\necho building\n',
}

const TEXT_FILES = ['notes.txt', 'todo.txt', 'README.md', 'src/app.py', 'src/util.py', 'src/main.js', 'data/users.csv', 'data/sales.csv', 'data/log.txt', 'config/app.conf', 'docs/guide.md', 'empty.txt']
const GLOBS = ['*.txt', '*.md', 'src/*.py', 'src/*.js', 'data/*.csv', 'data/*', 'config/*', '*/*.md', 'src/*', 'nomatch*.zz']
const WORDS = ['TODO', 'ERROR', 'bob', 'return', 'port', 'Step', 'hi', 'INFO']
const VALUES = ['path/to/file.tar.gz', 'report-2024.final.pdf', '/var/log/syslog.1', 'archive.zip', 'no_dots_here', 'a.b.c.d', 'dir/sub/', 'Hello World', 'MiXeD CaSe', '']
const NUMBERS = [[7, 3], [100, 7], [2, 10], [-9, 4], [0, 5], [255, 16], [13, 13], [1024, 3]]
const DIRS = ['src', 'data', 'config', 'docs', 'missing']

function* cross(...lists) {
  if (lists.length === 0) return yield []
  const [first, ...rest] = lists
  for (const item of first) for (const tail of cross(...rest)) yield [item, ...tail]
}

const loops = () => [
  ...GLOBS.map((g) => `for f in ${g}; do echo "file: $f"; done`),
  ...GLOBS.map((g) => `for f in ${g}; do wc -l < "$f"; done`),
  ...GLOBS.map((g) => `n=0; for f in ${g}; do n=$((n+1)); done; echo "$n matches for ${g}"`),
  ...GLOBS.map((g) => `for f in ${g}; do [ -f "$f" ] && echo "$(basename "$f"): $(wc -c < "$f") bytes"; done`),
  ...GLOBS.map((g) => `shopt -s nullglob; for f in ${g}; do echo "$f"; done; echo done`),
  ...DIRS.map((d) => `for d in ${d} src; do if [ -d "$d" ]; then echo "$d is a dir"; else echo "$d missing"; fi; done`),
  ...TEXT_FILES.map((f) => `while IFS= read -r line; do echo "> $line"; done < ${f}`),
  ...TEXT_FILES.map((f) => `i=0; while read -r line; do i=$((i+1)); done < ${f}; echo "${f} has $i lines"`),
  ...TEXT_FILES.map((f) => `count=0; while read -r w rest; do [ -n "$w" ] && count=$((count+1)); done < ${f}; echo $count`),
  ...[1, 3, 5, 10].map((n) => `for i in $(seq 1 ${n}); do printf '%d ' "$i"; done; echo`),
  ...[1, 3, 5, 10].map((n) => `for ((i=0; i<${n}; i++)); do echo -n "$i,"; done; echo`),
  ...[1, 3, 5, 10].map((n) => `i=0; while [ $i -lt ${n} ]; do i=$((i+1)); done; echo "i=$i"`),
  ...[1, 3, 5, 10].map((n) => `i=${n}; until [ $i -le 0 ]; do echo $i; i=$((i-2)); done`),
  ...[2, 3, 4].map((n) => `for i in 1 2 3 4 5 6; do [ $i -eq ${n} ] && continue; [ $i -gt 5 ] && break; echo $i; done`),
  ...[1, 2].map((n) => `for i in a b c; do for j in 1 2 3; do [ $j -eq 2 ] && continue ${n}; echo "$i$j"; done; done`),
  ...[1, 2].map((n) => `for i in a b; do for j in 1 2 3; do [ $j -eq 2 ] && break ${n}; echo "$i$j"; done; done; echo end`),
  'find . -name "*.py" | sort | while read -r f; do echo "$f $(wc -l < "$f")"; done',
  'find src -type f | sort | while read -r f; do echo "${f##*/}"; done',
  'find . -type f -name "*.csv" | sort | while read -r f; do head -n 1 "$f"; done',
  'find . -type d | sort | while read -r d; do echo "dir:$d"; done',
  'find data -type f | sort | while read -r f; do echo "$f: $(grep -c , "$f")"; done',
  'ls data | while read -r f; do echo "data/$f"; done',
  'ls src | sort -r | while read -r name; do echo "[$name]"; done',
  'grep -rl TODO src | sort | while read -r f; do echo "needs work: $f"; done',
  'while IFS=, read -r name age city; do echo "$name is $age and lives in $city"; done < data/users.csv',
  'tail -n +2 data/users.csv | while IFS=, read -r name age city; do [ "$age" -gt 30 ] && echo "$name"; done',
  'tail -n +2 data/sales.csv | { total=0; while IFS=, read -r m a; do total=$((total+a)); done; echo "total=$total"; }',
  'sum=0; while IFS=, read -r m a; do [ "$m" = month ] && continue; sum=$((sum+a)); done < data/sales.csv; echo $sum',
  'cut -d, -f1 data/users.csv | tail -n +2 | while read n; do echo "${n^^}"; done',
  'for f in data/*.csv; do echo "$f: $(($(wc -l < "$f") - 1)) rows"; done',
  'for f in src/*.py src/*.js; do echo "$(basename "$f"): $(grep -c TODO "$f")"; done',
  'for f in *.txt; do mv "$f" "${f%.txt}.bak"; done; ls',
  'mkdir -p backup && for f in *.txt; do cp "$f" "backup/$f.orig"; done && ls backup',
  'for f in notes.txt todo.txt; do tr a-z A-Z < "$f" > "${f%.txt}.upper"; done; cat notes.upper todo.upper',
]

const substitutions = () => [
  'echo "$(ls | wc -l) files"',
  'echo "$(ls src | wc -l) source files"',
  'echo "Total lines: $(cat data/*.csv | wc -l)"',
  'echo "Users: $(($(wc -l < data/users.csv) - 1))"',
  'echo "first user: $(sed -n 2p data/users.csv | cut -d, -f1)"',
  'echo "errors: $(grep -c ERROR data/log.txt)"',
  'latest=$(tail -n 1 data/log.txt); echo "latest: ${latest}"',
  'port=$(grep port config/app.conf | cut -d= -f2); echo "port is $port"',
  'echo `echo backticks` and $(echo dollar)',
  'echo "nested: $(echo "inner $(echo deepest)")"',
  'x=$(echo "  spaced   out  "); echo "[$x]"; echo [$x]',
  'lines=$(wc -l < notes.txt); if [ "$lines" -gt 2 ]; then echo many; else echo few; fi',
  'files=$(ls *.txt); for f in $files; do echo "- $f"; done',
  'echo "$(echo a; echo b)"',
  'echo $(echo a; echo b)',
  'out=$(false); echo "status $?"',
  'out=$(echo ok; exit 3); echo "$out $?"',
  'name=$(basename src/app.py .py); echo "$name"',
  'dir=$(dirname src/lib/helpers.js); echo "$dir"',
  'echo "upper: $(echo hello | tr a-z A-Z)"',
  'count=$(grep -o o README.md | wc -l); echo "o appears $count times"',
  'words=$(cat notes.txt | wc -w); echo "$words words"',
  'echo "sorted: $(sort notes.txt | head -n 1)"',
  'mkdir -p out && cp notes.txt "out/$(basename notes.txt .txt).bak" && ls out',
  'echo "today is a test" > "$(echo gen).txt"; cat gen.txt',
  ...WORDS.map((w) => `n=$(grep -rc ${w} . | grep -v ':0$' | wc -l); echo "${w}: $n files"`),
  ...WORDS.map((w) => `if grep -q ${w} notes.txt todo.txt data/log.txt; then echo "found ${w}"; else echo "no ${w}"; fi`),
  ...WORDS.map((w) => `grep -l ${w} $(find . -type f | sort) 2>/dev/null | head -n 3`),
  ...TEXT_FILES.map((f) => `echo "${f}: $(wc -l < ${f}) lines, $(wc -c < ${f}) bytes"`),
  ...TEXT_FILES.map((f) => `first=$(head -n 1 ${f}); echo "first line of ${f}: '$first'"`),
  ...TEXT_FILES.map((f) => `test -s ${f} && echo "${f} not empty" || echo "${f} empty"`),
]

const heredocs = () => [
  'cat > out.txt <<EOF\nname: demo\nfiles: $(ls | wc -l)\nEOF\ncat out.txt',
  "cat > raw.txt <<'EOF'\nliteral $HOME and $(date)\nEOF\ncat raw.txt",
  'cat <<-EOF > tabs.txt\n\tindented\n\t\tmore\n\tEOF\ncat tabs.txt',
  'NAME=world\ncat <<EOF\nhello $NAME\nsum: $((2+3))\nEOF',
  'cat <<EOF | wc -l\na\nb\nc\nEOF',
  'cat <<EOF >> notes.txt\nappended line\nEOF\ntail -n 2 notes.txt',
  'mkdir -p gen && cat > gen/config.ini <<EOF\n[main]\nport=${PORT:-9000}\nEOF\ncat gen/config.ini',
  'grep -c x <<EOF\nx1\ny\nx2\nEOF',
  'while read -r a b; do echo "$b $a"; done <<EOF\none two\nthree four\nEOF',
  'cat <<"END"\n$not_expanded `neither`\nEND',
  'sort <<EOF\ncherry\napple\nbanana\nEOF',
  'tr a-z A-Z <<< "here string"',
  'read -r x y <<< "alpha beta gamma"; echo "$x / $y"',
  'wc -w <<< "one two three four"',
  'grep -o "[0-9]*" <<< "a1b22c333"',
  "cat > script.sh <<'EOF'\n#!/bin/sh\necho from script\nEOF\ncat script.sh; wc -l < script.sh",
  'cat > list.txt <<EOF\n$(printf "%s\\n" c a b)\nEOF\nsort list.txt',
  ...['alpha', 'beta gamma', 'x=1'].map((v) => `cat <<EOF\nvalue: ${v}\nlength: \${#v}\nEOF`),
  ...['alpha', 'beta gamma', 'x=1', 'last one'].map((v) => `v="${v}"; cat > v.txt <<EOF\n[$v]\nEOF\ncat v.txt`),
  ...['a', 'b', 'c'].map((v) => `cat <<EOF > ${v}.out\n${v}\${HOME:+ set}\nEOF\ncat ${v}.out`),
]

const functions = () => [
  'greet() { local name=$1; echo "hello $name"; }; for n in ann bob cy; do greet $n; done',
  'greet() { local name=${1:-nobody}; echo "hi $name"; }; greet; greet you',
  'fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(( $1 - 1 ))) )); fi; }; fact 5; fact 10',
  'fib() { local n=$1; if [ $n -lt 2 ]; then echo $n; return; fi; echo $(( $(fib $((n-1))) + $(fib $((n-2))) )); }; fib 10',
  'is_even() { (( $1 % 2 == 0 )); }; for i in 1 2 3 4; do is_even $i && echo "$i even" || echo "$i odd"; done',
  'check() { [ -f "$1" ] || return 1; echo "ok $1"; }; check notes.txt; check nope.txt; echo "status $?"',
  'x=global; f() { local x=local; echo $x; }; f; echo $x',
  'x=1; f() { x=2; }; f; echo $x',
  'counter=0; inc() { counter=$((counter+1)); }; inc; inc; inc; echo $counter',
  'function shout { echo "${1^^}!"; }; shout hello; shout world',
  'sum() { local t=0; for n in "$@"; do t=$((t+n)); done; echo $t; }; sum 1 2 3 4 5',
  'args() { echo "$# args: $*"; }; args a b c; args; args "one two" three',
  'first() { echo "$1"; shift; echo "rest: $@"; }; first a b c',
  'log() { echo "[$1] ${*:2}"; }; log INFO starting up; log ERROR disk full',
  'count_lines() { wc -l < "$1"; }; for f in notes.txt todo.txt; do echo "$f $(count_lines $f)"; done',
  'outer() { inner() { echo inner; }; inner; echo outer; }; outer; inner',
  'f() { return 7; }; f; echo $?',
  'f() { echo in; exit 4; echo never; }; f; echo never',
  'max() { local m=$1; shift; for n; do [ $n -gt $m ] && m=$n; done; echo $m; }; max 3 9 2 7',
  'join() { local IFS=,; echo "$*"; }; join a b c',
  'repeat() { local i; for ((i=0; i<$2; i++)); do printf "%s" "$1"; done; echo; }; repeat ab 3; repeat x 5',
  'ext() { echo "${1##*.}"; }; for f in a.txt b.tar.gz c; do ext $f; done',
  'upper() { tr a-z A-Z; }; echo hello | upper; upper < notes.txt',
  'backup() { cp "$1" "$1.bak" && echo "backed up $1"; }; backup notes.txt; ls notes.txt*',
  ...['ann', 'bob', 'cy'].map((n) => `user_age() { grep "^$1," data/users.csv | cut -d, -f2; }; echo "${n}: $(user_age ${n})"`),
]

const cases = () => [
  ...['a.txt', 'b.md', 'c.py', 'd', 'Makefile', 'x.tar.gz', '.hidden', 'UPPER.TXT'].map((f) => `case "${f}" in *.txt) echo text;; *.md) echo markdown;; *.py|*.js) echo code;; *.tar.*) echo archive;; .*) echo hidden;; *) echo other;; esac`),
  ...['yes', 'y', 'Y', 'no', 'n', 'maybe', ''].map((a) => `answer="${a}"; case $answer in [Yy]|[Yy]es) echo agreed;; [Nn]*) echo refused;; "") echo empty;; *) echo "unknown: $answer";; esac`),
  ...['1', '42', '-3', 'abc', '3.5'].map((v) => `case ${v} in [0-9]) echo digit;; [0-9]*[0-9]) echo number;; -*) echo negative;; *[!0-9]*) echo "not a number";; esac`),
  'for f in *; do case "$f" in *.txt) echo "text: $f";; *.md) echo "doc: $f";; *) echo "other: $f";; esac; done',
  'for f in src/*; do case "${f##*.}" in py) echo "python $f";; js) echo "node $f";; *) echo "? $f";; esac; done',
  'case start in start) echo starting;& stop) echo "falls through";; *) echo no;; esac',
  'case abc in a*) echo first;;& *c) echo second;; *) echo third;; esac',
  'mode=dev; case $mode in prod) port=80;; dev|test) port=8080;; esac; echo $port',
  'while read -r level rest; do case $level in ERROR) echo "!! $rest";; WARN) echo "! $rest";; esac; done < <(cut -d" " -f2- data/log.txt) 2>/dev/null || true',
  'cut -d" " -f2 data/log.txt | while read -r level; do case $level in ERROR) e=$((e+1));; esac; echo "${e:-0}"; done | tail -n 1',
]

const arithmetic = () => [
  'echo $((2**10))',
  ...NUMBERS.flatMap(([a, b]) => [
    `a=${a}; b=${b}; echo $((a+b)) $((a-b)) $((a*b))`,
    `a=${a}; b=${b}; echo $((a/b)) $((a%b))`,
    `a=${a}; b=${b}; echo $((a<b)) $((a==b)) $((a>=b)) $((a!=b))`,
    `a=${a}; b=${b}; echo $((a&b)) $((a|b)) $((a^b)) $((a<<2)) $((a>>1))`,
    `x=${a}; ((x += ${b})); echo $x; ((x++)); echo $x; ((x--)); ((--x)); echo $x`,
    `let "r = ${a} * ${b} + 1"; echo $r`,
    `echo $(( ${a} > ${b} ? ${a} : ${b} ))`,
    `n=${a}; if (( n > ${b} )); then echo bigger; else echo "not bigger"; fi`,
  ]),
  'echo $((0x1f)) $((017)) $((2#1010)) $((36#z))',
  'echo $(( (1+2) * (3+4) )) $((-5 / 2)) $((-5 % 3))',
  'i=5; echo $((i++)) $i $((++i)) $i',
  'x=3; y=x; echo $((y * 2))',
  'echo $((1/0)); echo after',
  'total=0; for n in 10 20 30 40; do total=$((total + n)); done; echo "total=$total avg=$((total / 4))"',
  'declare -i n=5; n+=10; echo $n; n="n*2"; echo $n',
  'a=(3 1 2); echo $(( a[0] + a[2] ))',
  'for ((i=1, j=10; i<j; i+=3, j-=3)); do echo "$i $j"; done',
  'echo $((10 > 5 && 3 > 4)) $((0 || 7))',
  'x=7; (( x > 5 )) && echo big; (( x > 10 )) || echo "not huge"',
  'echo $(( 2 ** 62 )) $(( 2 ** 63 )) $(( -2 ** 2 ))',
  ...[1, 5, 12, 20].map((n) => `f=1; for ((i=2; i<=${n}; i++)); do f=$((f*i)); done; echo "${n}! = $f"`),
  ...[15, 28, 97, 100].map((n) => `n=${n}; p=1; for ((d=2; d*d<=n; d++)); do (( n % d == 0 )) && p=0; done; echo "${n} prime=$p"`),
]

const parameters = () => [
  ...VALUES.flatMap((v) => [
    `f='${v}'; echo "[\${f##*/}] [\${f%/*}] [\${f%%.*}] [\${f#*.}]"`,
    `f='${v}'; echo "[\${f%.*}] [\${f##*.}] [\${#f}]"`,
    `f='${v}'; echo "[\${f/./_}] [\${f//./_}] [\${f/#a/A}] [\${f/%z/Z}]"`,
    `f='${v}'; echo "[\${f:0:4}] [\${f:3}] [\${f: -3}] [\${f:2:-1}]" 2>/dev/null; echo ok`,
    `f='${v}'; echo "[\${f^^}] [\${f,,}] [\${f^}]"`,
    `f='${v}'; echo "[\${f:-default}] [\${f:+set}] [\${f-unset}] [\${f+present}]"`,
  ]),
  'unset v; echo "[${v:-default}] [${v-dash}] [${v:+plus}]"; echo "${v:=assigned}"; echo $v',
  'v=""; echo "[${v:-empty}] [${v-unset}]"',
  'echo "${UNDEFINED_THING:-fallback value}"',
  'name=report; echo "${name}_2024.txt" "$name.txt" "${name}s"',
  'p=/usr/local/bin/tool; echo "${p##*/}" "${p%/*}" "${p#/}"',
  'csv="a,b,c"; echo "${csv//,/ }"; IFS=, read -r x y z <<< "$csv"; echo "$y"',
  's="Hello World"; echo ${s^^} ${s,,} ${#s} ${s:6} ${s/World/There}',
  'ref=target; target=value; echo ${!ref}',
  'pre_a=1; pre_b=2; echo ${!pre_*}',
  'set -- one two three; echo $# "$1" "${2}" "${@: -1}" "${*:2}"',
  'set -- a "b c" d; for x in "$@"; do echo "[$x]"; done; for x in $*; do echo "<$x>"; done',
  'set -- a b c; shift; echo "$@"; shift 2; echo "$# left"',
  'set -- x y; echo "${#@} ${#1}"',
  'echo "${#}" "$0" >/dev/null; echo fine',
  'msg=${MSG:-"no message"}; echo "$msg"',
  'x=abc; echo ${x:1:1}${x:0:1}${x:2}',
]

const strict = () => [
  'set -euo pipefail\nx=1\necho "x=$x"\nfalse\necho "not reached"',
  'set -e; echo start; false; echo never',
  'set -e; false || echo recovered; echo continues',
  'set -e; if false; then echo no; fi; echo "if is safe"',
  'set -e; ! false; echo negation is safe',
  'set -e; f() { false; echo "in f"; }; f; echo after',
  'set -u; echo "${UNSET_VAR:-default}"; echo ok',
  'set -u; echo "$UNSET_VAR"; echo never',
  'set -o pipefail; false | true; echo "status $?"',
  'false | true; echo "status $?"',
  'set -o pipefail; true | false | true; echo $?',
  'set -euo pipefail\nfor f in *.txt; do\n  n=$(wc -l < "$f")\n  echo "$f $n"\ndone',
  'set -euo pipefail\nmkdir -p build\ncp notes.txt build/\nls build\nrm -r build\n[ -d build ] || echo cleaned',
  'set -e\ncount=0\nwhile read -r line; do\n  count=$((count + 1))\ndone < notes.txt\necho "$count"',
  'set -e; grep -q nothing-here notes.txt; echo never',
  'set -e; x=$(false); echo never',
  'set -e; x=$(false) || echo "caught"; echo "after"',
  'set -e; (exit 3); echo never',
  'set -e; { false; } || echo "group caught"',
  'set +e; false; echo "plus e continues"',
  'set -x; echo traced 2>/dev/null; set +x',
  'trap "echo cleanup" EXIT; echo working',
  'trap "echo bye" EXIT; exit 3',
  'trap "rm -f tmp.txt; echo removed" EXIT; echo data > tmp.txt; cat tmp.txt',
  'set -e; trap "echo trapped" EXIT; false',
]

const tests = () => [
  ...TEXT_FILES.concat(['missing.txt', 'src', 'data']).flatMap((f) => [
    `[ -f ${f} ] && echo file || echo "not file"`,
    `[[ -d ${f} ]] && echo dir || echo "not dir"`,
    `if [ -s ${f} ]; then echo "${f} has content"; elif [ -e ${f} ]; then echo "${f} is empty"; else echo "${f} missing"; fi`,
  ]),
  ...['abc', 'abd', 'xyz', 'a', ''].flatMap((s) => [
    `s="${s}"; [[ $s == a* ]] && echo "starts with a" || echo no`,
    `s="${s}"; [[ $s =~ ^a(b|x)(.)$ ]] && echo "match \${BASH_REMATCH[2]}" || echo "no match"`,
    `s="${s}"; [ -z "$s" ] && echo empty; [ -n "$s" ] && echo "non-empty"; true`,
    `s="${s}"; [[ "$s" < "b" ]] && echo before || echo after`,
  ]),
  '[[ 10 -gt 9 && 2 -lt 3 ]] && echo both',
  '[[ ! -e nope ]] && echo absent',
  '[ 1 -eq 1 -a 2 -eq 2 ] && echo both',
  '[ "$(echo a)" = a ] && echo equal',
  'test 5 -ge 5; echo $?',
  '[[ abc = "a*" ]] && echo glob || echo literal',
  'v="1.2.3"; [[ $v =~ ^([0-9]+)\\.([0-9]+)\\.([0-9]+)$ ]] && echo "major=${BASH_REMATCH[1]} minor=${BASH_REMATCH[2]}"',
  'email=user@example.com; [[ $email =~ ^[a-z]+@[a-z]+\\.[a-z]{2,}$ ]] && echo valid',
  're="^[0-9]+$"; for x in 12 a3 7; do [[ $x =~ $re ]] && echo "$x num"; done',
  '[[ -f notes.txt && -r notes.txt ]] && echo readable',
  '[[ (1 -lt 2) || (3 -gt 4) ]] && echo grouped',
]

const arrays = () => [
  'arr=(one two three); echo ${#arr[@]}; for x in "${arr[@]}"; do echo $x; done',
  'arr=(a b c); arr+=(d e); echo "${arr[@]}" ${#arr[@]}',
  'arr=(a b c); echo ${arr[1]} ${arr[-1]} "${arr[@]:1:2}"',
  'arr=(a b c); unset "arr[1]"; echo ${#arr[@]} "${arr[@]}" "${!arr[@]}"',
  'arr=(); arr[3]=x; arr[7]=y; echo ${#arr[@]} "${!arr[@]}"',
  'files=(*.txt); echo "${#files[@]} text files: ${files[*]}"',
  'files=(src/*); for f in "${files[@]}"; do echo "${f#src/}"; done',
  'declare -A m=([a]=1 [b]=2); echo ${m[a]} ${m[b]}',
  'declare -A ages; ages[ann]=31; ages[bob]=25; echo "ann is ${ages[ann]}"',
  'declare -a list=(x y z); echo "${list[2]}"',
  'read -r -a parts <<< "a b c d"; echo "${parts[2]} ${#parts[@]}"',
  'IFS=, read -r -a cols <<< "n,a,c"; echo "${cols[1]}"',
  'mapfile -t lines < notes.txt; echo "${#lines[@]} ${lines[0]}"',
  'readarray -t rows < data/users.csv; echo "${rows[1]}"',
  'arr=(c a b); sorted=($(printf "%s\\n" "${arr[@]}" | sort)); echo "${sorted[@]}"',
  'arr=("a b" c); for x in "${arr[@]}"; do echo "[$x]"; done; for x in ${arr[@]}; do echo "<$x>"; done',
  'a=(1 2 3); b=("${a[@]}"); b[0]=9; echo "${a[0]} ${b[0]}"',
  'arr=(x y z); echo "${arr[*]}" "${arr[@]^^}"',
  'stack=(); stack+=(1); stack+=(2); echo "top=${stack[-1]} size=${#stack[@]}"',
  ...['a b c', 'one', 'x y'].map((v) => `words=(${v}); echo "\${#words[@]} \${words[0]}"`),
]

const braces = () => [
  'echo {1..5}', 'echo {a..e}', 'echo {01..10..3}', 'echo {5..1}', 'echo {a,b}{1,2}', 'echo file{1..3}.txt',
  'echo pre{x,y,z}post', 'echo {a,b{c,d}}', 'echo {1..10..2}', 'echo {z..w}', 'echo {x}', 'echo {,a}b',
  'mkdir -p out/{a,b,c} && ls out', 'touch t{1..3}.log && ls t*.log', 'echo "{not,expanded}"', 'echo \\{a,b\\}',
  'for i in {1..3}; do echo "n$i"; done', 'cp notes.txt{,.bak} && ls notes*',
]

const printing = () => [
  "printf '%s=%d\\n' a 1 b 2", "printf '%-5s|%5s|\\n' ab cd", "printf '%05.1f\\n' 3.14159", "printf '%x %o %X\\n' 255 8 171",
  'printf -v pad "%05d" 42; echo "$pad"', 'printf -v line "%s-" a b c; echo "$line"', "printf '%s\\n' *.txt", "printf '[%c]\\n' hello",
  "printf '%b\\n' 'tab\\there'", "printf '%%literal\\n'", 'echo -e "a\\tb"', 'echo -n no-newline; echo', 'echo -e "line1\\nline2"',
  "echo $'tab\\there' $'quote\\'s'", "printf '%s\\n' \"$(ls | head -n 3)\"", "printf '%3d.\\n' 1 22 333",
  ...['hello', 'a b', '42'].map((v) => `printf '<%s>\\n' "${v}"; printf '<%s>\\n' ${v}`),
]

const pipelines = () => [
  ...WORDS.flatMap((w) => [
    `grep -rn ${w} . | sort | head -n 3`,
    `grep -c ${w} data/log.txt notes.txt todo.txt`,
    `grep -i ${w} data/log.txt | cut -d" " -f1 | sort -u`,
  ]),
  'cat data/users.csv | tail -n +2 | sort -t, -k2 -n | cut -d, -f1',
  'cut -d, -f3 data/users.csv | tail -n +2 | sort | tr "\\n" " "; echo',
  'sort -t, -k2 -rn data/sales.csv | head -n 2',
  'cat notes.txt todo.txt | wc -l',
  'ls | sort -r | head -n 3',
  'find . -name "*.md" | sort | xargs_missing 2>/dev/null; echo fallback',
  'grep ERROR data/log.txt | wc -l | tr -d " "',
  'sed "s/=/: /" config/app.conf',
  'sed -n "/ERROR/p" data/log.txt | head -n 1',
  'awk_missing 2>/dev/null || cut -d" " -f3 data/log.txt | sort | uniq -c',
  'tr -s " " < README.md | head -n 3',
  'echo "b a c" | tr " " "\\n" | sort | tr "\\n" ","; echo',
  'seq 1 10 | tail -n 3',
  'seq 5 | sort -rn | head -n 2',
  'yes | head -n 3',
  'seq 1 100 | grep 7 | wc -l',
  'ls src | grep -v lib',
  'cat notes.txt | grep -v bug |& cat',
  'ls nothing-here 2>&1 | head -n 1 | cut -c1-3',
  'echo hi >&2 2>/dev/null; echo after',
  '{ echo one; echo two; } | wc -l',
  '( echo a; echo b ) > sub.txt; cat sub.txt',
  '{ echo out; echo err >&2; } 2>/dev/null',
  'echo data > f1.txt && cat f1.txt && rm f1.txt && [ ! -e f1.txt ] && echo gone',
  'echo x >&-; echo "closed $?"',
]

const misc = () => [
  'x=1; (x=2; echo "inner $x"); echo "outer $x"',
  '(cd src && ls); ls | head -n 2',
  'cd src && ls && cd .. && ls | head -n 1',
  'cd data; for f in *; do echo $f; done; cd ..',
  'eval "echo evaluated"; cmd="ls src"; eval $cmd',
  'eval "x=5"; echo $x',
  'v=1; readonly v; v=2 2>/dev/null; echo "v=$v"',
  'export FOO=bar; echo "$FOO"',
  'A=1 B=2; echo $A$B',
  'unset A; echo "[${A}]"',
  'true && echo yes || echo no; false && echo yes || echo no',
  'false; echo $?; true; echo $?',
  '! true; echo $?',
  'exit 5',
  'echo before; exit; echo after',
  'type cd; type nosuchthing 2>/dev/null || echo "not found"',
  'command -v echo',
  'IFS=:; set -- a:b:c; echo "$2"; IFS=" "',
  'IFS=, ; x="1,2,,3"; for p in $x; do echo "[$p]"; done',
  'str="a  b   c"; echo $str; echo "$str"',
  'echo *.md', 'echo src/*.py', 'echo "*.md"', "echo '*'", 'echo nomatch*.xyz',
  'echo ~ >/dev/null && echo tilde ok',
  'echo a\\ b "c  d" \'e  f\'',
  'echo $HOME_NOT_SET "x"',
  'x=5; echo ${x}0 $x.0 "$x"s',
  ': noop; echo $?',
  'echo one; echo two >/dev/null; echo three',
  'echo hello > out.txt; echo world >> out.txt; cat out.txt; wc -l < out.txt',
  'echo a > x.txt; echo b > x.txt; cat x.txt',
  'cat < notes.txt | head -n 1',
  'cat nonexistent.txt; echo "status $?"',
  'cat nonexistent.txt 2>/dev/null || echo missing',
  'ls -1 src 2>/dev/null | wc -l',
  'mkdir -p a/b/c && touch a/b/c/d.txt && find a | sort',
  'rm -f notes.txt && ls *.txt',
  'mv todo.txt done.txt && cat done.txt | head -n 1',
  'source scripts/build.sh', '. scripts/build.sh',
  'echo "echo sourced \\$1" > s.sh; source s.sh arg',
  'exec 2>/dev/null; ls nope; echo silent',
  'exec > log.out; echo to log; cat log.out >&2',
  'shopt -s nullglob; x=(*.nothing); echo ${#x[@]}',
  'x=$( { echo a; echo b; } | sort -r ); echo $x',
  'local x=1 2>/dev/null; echo "status $?"',
  'f() { local a b=2 c; a=1; echo "$a$b${c:-_}"; }; f',
  'declare -p nothing 2>/dev/null || echo undeclared',
  'if [ -d src ]; then echo has src; fi; if [ -d nope ]; then echo no; else echo "no nope"; fi',
  'if grep -q port config/app.conf; then echo configured; fi',
  'while false; do echo never; done; echo "status $?"',
  'until true; do echo never; done; echo done',
  'n=0; while :; do n=$((n+1)); [ $n -ge 5 ] && break; done; echo $n',
]

/** Streaming pipelines: endless or huge producers cut short by their readers, SIGPIPE statuses, loops in pipes. */
function streaming() {
  return [
    'yes | head -3',
    'seq 1 100000000 | head -1',
    'yes x | head -c 5; echo',
    'seq 1000000 | tail -1',
    '(echo a; sleep 0; echo b) | cat',
    'set -o pipefail; yes | head -1; echo $?',
    'yes | head -n 1 >/dev/null; echo ${PIPESTATUS[@]}',
    'seq 1 2000000 | wc -l',
    'seq 1 300000 | grep 99999 | head -n 2',
    'yes "a b" | head -n 2 | tr " " "-"',
    'seq 1 100000 | while read n; do [ $n -ge 3 ] && break; echo $n; done',
    'seq 10 | { read a; read b; echo "$a-$b"; }',
    'yes | head -n 100000 | wc -l',
    'seq 3 | cat | cat | cat',
    'yes | while read l; do echo "got $l"; done | head -n 2',
    'cat notes.txt | grep -n bug | head -1',
    'seq 1 100000000 | cat | head -n 2 | tail -n 1',
    'yes | head -c 3 | wc -c',
    'yes abc | tr a-z A-Z | head -n 2',
    'yes "a:b" | cut -d: -f2 | head -n 2',
    'yes hello | rev | head -n 1',
    'seq 1 1000000 | tr -d 0 | wc -c',
  ]
}

/** shopt globbing options and exec redirections of the shell's own descriptors. */
function shellOptions() {
  return [
    'shopt -s dotglob; echo config/*',
    'shopt -s dotglob; for f in config/*; do echo "[$f]"; done',
    'shopt -s nullglob; echo nomatch*.zz; echo end',
    'shopt -s globstar; echo **/*.md',
    'exec 2>/dev/null; ls nothing; echo $?',
    'exec < notes.txt; read a; echo $a; read b; echo $b',
    'exec >o.txt; echo hi; exec >&2; cat o.txt',
    'exec 1>&-; echo x; echo $? >&2',
  ]
}

export function corpusLines() {
  const lines = [
    ...loops(), ...substitutions(), ...heredocs(), ...functions(), ...cases(), ...arithmetic(), ...parameters(),
    ...strict(), ...tests(), ...arrays(), ...braces(), ...printing(), ...pipelines(), ...misc(), ...streaming(), ...shellOptions(),
  ]
  // Combinations: a file-processing step inside each loop shape, for each text file.
  const steps = ['head -n 1 "$f"', 'wc -w < "$f"', 'grep -c e "$f"', 'tail -n 1 "$f"', 'sort "$f" | head -n 1', 'cut -c1-5 "$f" | head -n 2', 'tr a-z A-Z < "$f" | tail -n 1', 'grep -n . "$f" | tail -n 1']
  for (const [file, step] of cross(TEXT_FILES, steps)) lines.push(`for f in ${file}; do echo "== $f"; ${step}; done`)
  for (const [file, step] of cross(TEXT_FILES, steps.slice(0, 4))) lines.push(`f=${file}; if [ -s "$f" ]; then ${step}; else echo "skip $f"; fi`)
  for (const [value, op] of cross(VALUES, ['${v%%/*}', '${v#*/}', '${v//[aeiou]/}', '${v/[0-9]*/N}', '${#v}x'])) lines.push(`v='${value}'; echo "${op}"`)
  for (const [[a, b], op] of cross(NUMBERS, ['+', '-', '*', '%', '**'])) lines.push(op === '**' ? `x=${a}; y=$(( ${b} % 4 )); echo "$x${op}$y=$((x${op}y))"` : `x=${a}; y=${b}; r=$((x ${op} y)); echo "$x ${op} $y = $r"`)
  for (const [dir, step] of cross(DIRS, ['ls "$d" | wc -l', 'find "$d" -type f | sort | head -n 2', 'echo "$d/$(ls "$d" | head -n 1)"'])) lines.push(`d=${dir}; if [ -d "$d" ]; then ${step}; else echo "no $d" >&2; echo missing; fi`)
  for (const [name, greeting] of cross(['ann', 'bob', 'cy', 'dee'], ['hello', 'hi', 'hey'])) lines.push(`say() { local who=$1 word=\${2:-${greeting}}; echo "$word, $who"; }; say ${name}; say ${name} yo`)
  for (const [w, file] of cross(WORDS, ['notes.txt', 'data/log.txt', 'src/util.py'])) lines.push(`if grep -q ${w} ${file}; then echo "${w} in ${file}: $(grep -c ${w} ${file})"; fi`)
  return [...new Set(lines)]
}
