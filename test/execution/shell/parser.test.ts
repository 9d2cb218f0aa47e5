/**
 * The command-line parser: AST shapes for precedence, quoting, escapes,
 * expansions, redirections and compound commands; ParseErrors with their
 * column for lines bash rejects; `unsupported` for valid bash tier 1 leaves
 * to tier 4; and a property check that parsing random text throws nothing
 * but ParseError.
 */
import { describe, expect, it } from 'vitest'
import { ParseError, parseCommandLine, type Command, type CommandList, type Pipeline, type SimpleCommand, type Word } from '../../../src/execution/shell/index'

/** A word as text, with quoted parts in «» and parameters as $NAME, to keep expectations readable. */
function show(word: Word): string {
  return word.parts
    .map((part) => {
      if (part.kind === 'parameter') return `${part.quoted ? '"' : ''}$${part.name}${part.op ? `{${part.op.kind}}` : ''}${part.quoted ? '"' : ''}`
      if (part.kind === 'literal') return part.quoted ? `«${part.text}»` : part.text
      return `<${part.kind}>`
    })
    .join('')
}

function simple(command: Command | undefined): SimpleCommand {
  if (command?.kind !== 'command') throw new Error(`expected a simple command, got ${command?.kind}`)
  return command
}

function firstPipeline(line: string): Pipeline {
  const [item] = parseCommandLine(line).items
  if (item?.node.kind !== 'pipeline') throw new Error('expected a pipeline')
  return item.node
}

function argvOf(pipeline: Pipeline): string[][] {
  return pipeline.commands.map((command) => simple(command).words.map(show))
}

/** The list as nested arrays: pipelines become their argv lists, and/or nodes [op, left, right]. */
function shape(list: CommandList): unknown[] {
  const node = (item: CommandList['items'][number]['node']): unknown => (item.kind === 'pipeline' ? argvOf(item) : [item.kind, node(item.left), node(item.right)])
  return list.items.map((item) => node(item.node))
}

function firstCommand(line: string): Command {
  const [item] = parseCommandLine(line).items
  if (item?.node.kind !== 'pipeline') throw new Error('expected a pipeline')
  return item.node.commands[0] as Command
}

function parseError(line: string): ParseError {
  try {
    parseCommandLine(line)
  } catch (thrown) {
    if (thrown instanceof ParseError) return thrown
    throw thrown
  }
  throw new Error(`expected a ParseError for ${JSON.stringify(line)}`)
}

describe('structure and precedence', () => {
  it('splits a pipeline into its stages', () => {
    expect(shape(parseCommandLine('cat /a.txt | grep x | wc -l'))).toEqual([[['cat', '/a.txt'], ['grep', 'x'], ['wc', '-l']]])
  })

  it('binds | tighter than && and ||, which associate to the left', () => {
    expect(shape(parseCommandLine('a | b && c || d | e'))).toEqual([['or', ['and', [['a'], ['b']], [['c']]], [['d'], ['e']]]])
  })

  it('separates list items with ; and newlines, below && and ||', () => {
    expect(shape(parseCommandLine('echo one > /b && echo two >> /b; cat /b\nls'))).toEqual([
      ['and', [['echo', 'one']], [['echo', 'two']]],
      [['cat', '/b']],
      [['ls']],
    ])
  })

  it('allows a newline after && and |, and a trailing ;', () => {
    expect(shape(parseCommandLine('a &&\n b |\n c;'))).toEqual([['and', [['a']], [['b'], ['c']]]])
  })

  it('marks a negated pipeline', () => {
    const [item] = parseCommandLine('! grep -q x f').items
    expect(item?.node).toMatchObject({ kind: 'pipeline', negated: true })
  })

  it('parses the empty line and a comment-only line as no commands', () => {
    expect(parseCommandLine('').items).toEqual([])
    expect(parseCommandLine('   # just a comment').items).toEqual([])
  })

  it('ends a word at # only when # starts it', () => {
    expect(shape(parseCommandLine('echo a#b # comment'))).toEqual([[['echo', 'a#b']]])
  })
})

describe('quoting and escapes', () => {
  it('keeps single-quoted text literal, $ and backslashes included', () => {
    expect(shape(parseCommandLine(`echo 'a $X \\n "q"'`))).toEqual([[['echo', '«a $X \\n "q"»']]])
  })

  it('expands $VAR and ${VAR} inside double quotes and honours \\" \\\\ \\$', () => {
    expect(argvOf(firstPipeline('echo "v=$V ${W}! \\"q\\" \\\\ \\$X \\n"'))).toEqual([['echo', '«v=»"$V"« »"$W"«! "q" \\ $X \\n»']])
  })

  it('quotes the next character with a backslash outside quotes, and joins lines on backslash-newline', () => {
    expect(shape(parseCommandLine('echo a\\ b \\| c\\\nd'))).toEqual([[['echo', 'a« »b', '«|»', 'cd']]])
  })

  it('joins adjacent quoted and unquoted pieces into one word', () => {
    expect(shape(parseCommandLine(`echo pre'mid'"$X"post`))).toEqual([[['echo', 'pre«mid»"$X"post']]])
  })

  it('keeps "" as an empty word', () => {
    expect(simple(firstCommand('printf "%s|" ""')).words[2]?.parts).toEqual([{ kind: 'literal', text: '', quoted: true }])
  })

  it('reads $? and leaves a lone $ literal', () => {
    expect(shape(parseCommandLine('echo $? $ "a$"'))).toEqual([[['echo', '$?', '$', '«a$»']]])
  })
})

describe('assignments and redirections', () => {
  it('takes NAME=value words before the command as assignments', () => {
    const command = simple(firstCommand('A=1 B="x y" env C=3'))
    expect(command?.assignments.map((a) => [a.name, show(a.value)])).toEqual([['A', '1'], ['B', '«x y»']])
    expect(command?.words.map(show)).toEqual(['env', 'C=3'])
  })

  it('parses >, >>, <, 2>, 2>&1 and &> in order', () => {
    const redirects = simple(firstCommand('cmd <in >out 2>>err 2>&1 &>all')).redirects.map((r) => (r.kind === 'file' ? [r.fd, r.mode, show(r.target)] : r.kind === 'duplicate' ? [r.fd, 'dup', r.from] : [r.fd, r.kind]))
    expect(redirects).toEqual([
      [0, 'read', 'in'],
      [1, 'write', 'out'],
      [2, 'append', 'err'],
      [2, 'dup', 1],
      [1, 'write', 'all'],
      [2, 'dup', 1],
    ])
  })

  it('treats digits as a descriptor only when > or < follows at once', () => {
    const command = simple(firstCommand('echo 2 >x 2>y'))
    expect(command?.words.map(show)).toEqual(['echo', '2'])
    expect(command?.redirects.map((r) => r.fd)).toEqual([1, 2])
  })
})

describe('compound commands', () => {
  it('parses if/elif/else, loops, case, groups, subshells, functions, (( )) and [[ ]]', () => {
    const kinds = (line: string) => {
      const command = firstCommand(line)
      return command.kind === 'compound' ? command.body.kind : command.kind
    }
    const cases: Array<[string, string]> = [
      ['if a; then b; elif c; then d; else e; fi', 'if'],
      ['for f in *.txt; do wc -l "$f"; done', 'for'],
      ['for ((i=0; i<3; i++)); do echo $i; done', 'arith-for'],
      ['while read -r l; do echo "$l"; done < f', 'while'],
      ['until false; do break; done', 'while'],
      ['case $x in a|b) echo ab;; *) echo other;; esac', 'case'],
      ['{ echo a; echo b; } > f', 'group'],
      ['(cd /tmp && ls)', 'subshell'],
      ['f() { local x=1; echo $x; }', 'function'],
      ['function g { return 2; }', 'function'],
      ['((x += 2))', 'arith'],
      ['[[ $a == b* && -f x ]]', 'cond'],
    ]
    expect(cases.map(([line]) => kinds(line))).toEqual(cases.map(([, kind]) => kind))
  })

  it('reads $(…), backticks, $((…)), ${x%p} and $\'…\' as parts of one word', () => {
    expect(simple(firstCommand("echo a$(date)b`pwd` $((1+2)) ${x%.*} $'t\\tab'")).words.map(show)).toEqual(['echo', 'a<command>b<command>', '<arith>', '$x{trim}', '«t\tab»'])
  })

  it('takes here-document bodies after the line, stripping tabs for <<- and not expanding a quoted delimiter', () => {
    const list = parseCommandLine("cat <<-EOF; cat <<'X'\n\tone $v\n\tEOF\ntwo $v\nX\necho after")
    expect(list.items).toHaveLength(3)
    const [first, second] = list.items.map((item) => (item.node.kind === 'pipeline' ? simple(item.node.commands[0]) : undefined))
    expect(first?.redirects[0]).toMatchObject({ kind: 'heredoc', body: { parts: [{ text: 'one ' }, { kind: 'parameter', name: 'v' }, { text: '\n' }] } })
    expect(second?.redirects[0]).toMatchObject({ kind: 'heredoc', body: { parts: [{ kind: 'literal', text: 'two $v\n', quoted: true }] } })
  })

  it('marks & as a background item and |& as stderr piped', () => {
    const list = parseCommandLine('sleep 1 & wait; a |& b')
    expect(list.items.map((item) => item.background)).toEqual([true, false, false])
    expect(list.items[2]?.node).toMatchObject({ kind: 'pipeline', stderrPiped: [true] })
  })
})

describe('errors point at the column', () => {
  const cases: Array<[string, string, number, number?]> = [
    ['echo "abc', 'unexpected EOF while looking for matching', 6],
    ["echo 'abc", 'unexpected EOF while looking for matching', 6],
    ['cat a |', 'unexpected end of file', 8],
    ['| wc', "syntax error near unexpected token `|'", 1],
    ['false || ;', "syntax error near unexpected token `;'", 10],
    ['echo hi >', 'unexpected end of file', 10],
    ['echo hi > | wc', "syntax error near unexpected token `|'", 11],
    ['if true; then echo; fi; fi', "syntax error near unexpected token `fi'", 25],
    ['for x in a b; do echo; ', 'unexpected end of file', 24],
    ['a; ; b', "syntax error near unexpected token `;'", 4],
    ['echo ok\necho "x', 'unexpected EOF while looking for matching', 6, 2],
  ]
  for (const [line, reason, column, lineNumber] of cases) {
    it(`${JSON.stringify(line)} → column ${column}`, () => {
      const error = parseError(line)
      expect(error.reason).toContain(reason)
      expect(error.unsupported).toBe(false)
      expect(error.column).toBe(column)
      expect(error.line).toBe(lineNumber ?? 1)
      expect(error.message).toBe(`syntax error at line ${lineNumber ?? 1}, column ${column}: ${error.reason}`)
    })
  }

  it('marks valid bash it does not take (select, coproc, time) as unsupported, not as an error', () => {
    for (const line of ['select x in a b; do echo $x; done', 'coproc cat', 'time', 'time ;']) expect(parseError(line).unsupported).toBe(true)
  })
})

describe('robustness', () => {
  /** A small deterministic PRNG, so a failure reproduces. */
  function random(seed: number): () => number {
    let state = seed
    return () => {
      state = (state * 1103515245 + 12345) % 2147483648
      return state / 2147483648
    }
  }
  const ALPHABET = ['a', 'b', ' ', '|', '&', ';', '<', '>', "'", '"', '\\', '$', '{', '}', '(', ')', '#', '\n', '`', '2', '!', '=', '?', '*', 'é', '😀', '\t']

  it('throws nothing but ParseError for 5000 random lines', () => {
    const next = random(42)
    let parsed = 0
    let refused = 0
    for (let round = 0; round < 5000; round++) {
      const length = Math.floor(next() * 24)
      const line = Array.from({ length }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join('')
      try {
        parseCommandLine(line)
        parsed++
      } catch (thrown) {
        expect(thrown, `for ${JSON.stringify(line)}`).toBeInstanceOf(ParseError)
        const error = thrown as ParseError
        expect(error.column).toBeGreaterThanOrEqual(1)
        expect(error.line).toBeGreaterThanOrEqual(1)
        refused++
      }
    }
    // Both outcomes occur, so the loop exercises the parser and its errors.
    expect(parsed).toBeGreaterThan(100)
    expect(refused).toBeGreaterThan(100)
  })
})

describe('parseCommandLine: recently parsed lines', () => {
  it('answers a line parsed lately with the same tree, frozen all the way down', () => {
    const first = parseCommandLine('cat /a.txt | grep -c x > /out/n')
    expect(parseCommandLine('cat /a.txt | grep -c x > /out/n')).toBe(first)
    const pipeline = first.items[0]?.node as Pipeline
    expect(Object.isFrozen(first)).toBe(true)
    expect(Object.isFrozen(pipeline.commands[1])).toBe(true)
    expect(() => {
      ;(pipeline.commands as Command[]).push(pipeline.commands[0] as Command)
    }).toThrow(TypeError)
    expect(pipeline.commands).toHaveLength(2)
  })

  it('keeps the 64 latest lines: an older one is parsed afresh, to an equal tree', () => {
    const first = parseCommandLine('echo memo-0')
    for (let i = 1; i <= 64; i++) parseCommandLine(`echo memo-${i}`)
    const again = parseCommandLine('echo memo-0')
    expect(again).not.toBe(first)
    expect(again).toEqual(first)
  })

  it('does not keep a line over 4 KB', () => {
    const long = `echo ${'x'.repeat(5000)}`
    expect(parseCommandLine(long)).not.toBe(parseCommandLine(long))
  })

  it('does not keep a line that failed: it fails again with the same error', () => {
    expect(() => parseCommandLine('echo (')).toThrow(ParseError)
    expect(() => parseCommandLine('echo (')).toThrow(ParseError)
  })
})
