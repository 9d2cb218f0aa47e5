/**
 * The command-line parser: AST shapes for precedence, quoting, escapes,
 * expansions and redirections, ParseErrors with their column, and a
 * property check that parsing random text throws nothing but ParseError.
 */
import { describe, expect, it } from 'vitest'
import { ParseError, parseCommandLine, type CommandList, type Pipeline, type Word } from '../../../src/execution/shell/index'

/** A word as text, with quoted parts in «» and parameters as $NAME, to keep expectations readable. */
function show(word: Word): string {
  return word.parts.map((part) => (part.kind === 'parameter' ? `${part.quoted ? '"' : ''}$${part.name}${part.quoted ? '"' : ''}` : part.quoted ? `«${part.text}»` : part.text)).join('')
}

function argvOf(pipeline: Pipeline): string[][] {
  return pipeline.commands.map((command) => command.words.map(show))
}

/** The list as nested arrays: pipelines become their argv lists, and/or nodes [op, left, right]. */
function shape(list: CommandList): unknown[] {
  const node = (item: CommandList['items'][number]): unknown =>
    item.kind === 'pipeline' ? argvOf(item) : [item.kind, node(item.left), node(item.right)]
  return list.items.map(node)
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
    expect(item).toMatchObject({ kind: 'pipeline', negated: true })
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
    const [pipeline] = parseCommandLine('echo "v=$V ${W}! \\"q\\" \\\\ \\$X \\n"').items as Pipeline[]
    expect(argvOf(pipeline as Pipeline)).toEqual([['echo', '«v=»"$V"« »"$W"«! "q" \\ $X \\n»']])
  })

  it('quotes the next character with a backslash outside quotes, and joins lines on backslash-newline', () => {
    expect(shape(parseCommandLine('echo a\\ b \\| c\\\nd'))).toEqual([[['echo', 'a« »b', '«|»', 'cd']]])
  })

  it('joins adjacent quoted and unquoted pieces into one word', () => {
    expect(shape(parseCommandLine(`echo pre'mid'"$X"post`))).toEqual([[['echo', 'pre«mid»"$X"post']]])
  })

  it('keeps "" as an empty word', () => {
    const [pipeline] = parseCommandLine('printf "%s|" ""').items as Pipeline[]
    expect((pipeline as Pipeline).commands[0]?.words[2]?.parts).toEqual([{ kind: 'literal', text: '', quoted: true }])
  })

  it('reads $? and leaves a lone $ literal', () => {
    expect(shape(parseCommandLine('echo $? $ "a$"'))).toEqual([[['echo', '$?', '$', '«a$»']]])
  })
})

describe('assignments and redirections', () => {
  it('takes NAME=value words before the command as assignments', () => {
    const [pipeline] = parseCommandLine('A=1 B="x y" env C=3').items as Pipeline[]
    const command = (pipeline as Pipeline).commands[0]
    expect(command?.assignments.map((a) => [a.name, show(a.value)])).toEqual([['A', '1'], ['B', '«x y»']])
    expect(command?.words.map(show)).toEqual(['env', 'C=3'])
  })

  it('parses >, >>, <, 2>, 2>&1 and &> in order', () => {
    const [pipeline] = parseCommandLine('cmd <in >out 2>>err 2>&1 &>all').items as Pipeline[]
    const redirects = (pipeline as Pipeline).commands[0]?.redirects.map((r) => (r.kind === 'file' ? [r.fd, r.mode, show(r.target)] : [r.fd, 'dup', r.from]))
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
    const [pipeline] = parseCommandLine('echo 2 >x 2>y').items as Pipeline[]
    const command = (pipeline as Pipeline).commands[0]
    expect(command?.words.map(show)).toEqual(['echo', '2'])
    expect(command?.redirects.map((r) => r.fd)).toEqual([1, 2])
  })
})

describe('errors point at the column', () => {
  const cases: Array<[string, string, number, number?]> = [
    ['echo "abc', 'unterminated double quote', 6],
    ["echo 'abc", 'unterminated single quote', 6],
    ['cat a |', "'|' must be followed by a command, found the end of the line", 7],
    ['| wc', "expected a command, found '|'", 1],
    ['true &&', "'&&' must be followed by a command", 6],
    ['false || ;', "'||' must be followed by a command, found ';'", 7],
    ['echo hi >', "redirection '>' needs a target, found the end of the line", 9],
    ['echo hi > | wc', "redirection '>' needs a target, found '|'", 9],
    ['echo $(date)', 'command substitution $(…) is not supported', 6],
    ['echo `date`', 'command substitution with backticks is not supported', 6],
    ['echo $((1+2))', 'arithmetic expansion $((…)) is not supported', 6],
    ['sleep 5 &', "background jobs ('&') are not supported", 9],
    ['(cd /x)', "subshells and grouping with '(' are not supported", 1],
    ['cat <<EOF', 'here-documents and here-strings', 5],
    ['echo ${X:-d}', "parameter expansion '${X:-d}' is not supported", 6],
    ['if true; then echo; fi', "'if': compound commands", 1],
    ['a; ; b', "expected a command, found ';'", 4],
    ['echo ok\necho "x', 'unterminated double quote', 6, 2],
  ]
  for (const [line, reason, column, lineNumber] of cases) {
    it(`${JSON.stringify(line)} → column ${column}`, () => {
      const error = parseError(line)
      expect(error.reason).toContain(reason)
      expect(error.column).toBe(column)
      expect(error.line).toBe(lineNumber ?? 1)
      expect(error.message).toBe(`syntax error at line ${lineNumber ?? 1}, column ${column}: ${error.reason}`)
    })
  }
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
