/**
 * The shell examples of README.md and docs/*.md as runnable scripts, and what
 * each documented curl call promises.
 *
 * An example is a ```sh block that calls the API (`curl`), or one that only
 * sets the variables the page's examples use. The blocks of one
 * page run in order in one bash script (later blocks use the variables earlier
 * ones set), with `curl` wrapped so that every call is logged with the script
 * line it came from, its HTTP status and its body. A call's promise is read
 * from its comments: a trailing `# …` on the command, and the `# → …` lines
 * right after it:
 *   - a leading status (`# 400, code EACCES`, `# → 201 {…}`) is the status
 *     expected; without one, any 2xx,
 *   - `code X`, `"code":"X"` or `→ 403 X` is the error code expected,
 *   - each `"key":value` with a literal value (no `…`, no `<…>`) must appear in
 *     the answer as written (answers are compact JSON).
 * The only rewriting: the documented addresses (127.0.0.1:8787, localhost:8787,
 * sandboxd's 8788) become the ports the test started, and the example token
 * the one .dev.vars holds.
 */

export interface Expectation {
  /** 1-based lines of the script that the command spans. */
  first: number
  last: number
  text: string
  command: string
  status?: number
  code?: string
  fragments: string[]
}

export interface PageScript {
  page: string
  script: string
  expectations: Expectation[]
}

/** A block of only variable assignments (`F=http://…; T=…`): the setup later blocks of its page use. */
function onlyAssignments(lines: string[]): boolean {
  const code = lines.filter((line) => line.trim() !== '' && !line.trim().startsWith('#'))
  return code.length > 0 && code.every((line) => /^\s*[A-Za-z_][A-Za-z0-9_]*=/.test(line))
}

/** Each ```sh block that calls the API or sets up its variables, as its lines. */
export function shellExamples(markdown: string): string[][] {
  const blocks: string[][] = []
  let current: string[] | undefined
  for (const line of markdown.split('\n')) {
    if (current === undefined) {
      if (/^```(sh|bash)\s*$/.test(line)) current = []
    } else if (/^```\s*$/.test(line)) {
      if (current.some((l) => /(^|[\s(])curl\s/.test(l)) || onlyAssignments(current)) blocks.push(current)
      current = undefined
    } else {
      current.push(line)
    }
  }
  return blocks
}

interface ScannedLine {
  /** The line up to a comment that starts outside quotes. */
  code: string
  /** That comment, without its `#`, or undefined. */
  comment: string | undefined
  /** Whether the command goes on to the next line (open quote, or a trailing backslash). */
  continues: boolean
}

/** Splits lines into code and comment, tracking shell quotes across lines (enough for these examples). */
function scan(lines: string[]): ScannedLine[] {
  let quote: "'" | '"' | "$'" | undefined
  return lines.map((line) => {
    let comment: string | undefined
    let end = line.length
    for (let i = 0; i < line.length; i++) {
      const c = line[i]
      if (quote === "'") {
        if (c === "'") quote = undefined
      } else if (quote === '"' || quote === "$'") {
        if (c === '\\') i++
        else if ((quote === '"' && c === '"') || (quote === "$'" && c === "'")) quote = undefined
      } else if (c === '\\') {
        i++
      } else if (c === "'") {
        quote = "'"
      } else if (c === '$' && line[i + 1] === "'") {
        quote = "$'"
        i++
      } else if (c === '"') {
        quote = '"'
      } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1] ?? ''))) {
        comment = line.slice(i + 1).trim()
        end = i
        break
      }
    }
    const code = line.slice(0, end)
    return { code, comment, continues: quote !== undefined || /\\\s*$/.test(code) }
  })
}

const VALUE = String.raw`"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false|null|\[[^\[\]{}]*\]`

/** What a comment promises about the answer of the call it belongs to. */
export function promises(text: string): Pick<Expectation, 'status' | 'code' | 'fragments'> {
  const status = /^(?:→\s*)?(\d{3})\b/.exec(text)
  const code = /\bcode\s+([A-Z][A-Z_]+)\b/.exec(text) ?? /"code":\s*"([A-Z][A-Z_]+)"/.exec(text) ?? /^(?:→\s*)?\d{3}\s+([A-Z][A-Z_]+)\b/.exec(text)
  const fragments: string[] = []
  for (const match of text.matchAll(new RegExp(String.raw`"([A-Za-z_]+)":\s*(${VALUE})`, 'g'))) {
    const value = match[2] ?? ''
    if (value.includes('…') || value.includes('<')) continue
    fragments.push(`"${match[1]}":${value.replace(/^\[(.*)\]$/, (_, inner: string) => `[${inner.replace(/\s+/g, '')}]`)}`)
  }
  return { ...(status ? { status: Number(status[1]) } : {}), ...(code ? { code: code[1] } : {}), fragments }
}

/** The curl commands of a script, with their lines and what their comments promise. */
function expectationsOf(lines: string[]): Expectation[] {
  const scanned = scan(lines)
  const found: Expectation[] = []
  for (let i = 0; i < scanned.length; i++) {
    if (!/(^|[\s(|;&])curl\s/.test(scanned[i]?.code ?? '')) continue
    const first = i
    const comments: string[] = []
    while (scanned[i]?.continues && i + 1 < scanned.length) {
      if (scanned[i]?.comment) comments.push(scanned[i]?.comment ?? '')
      i++
    }
    if (scanned[i]?.comment) comments.push(scanned[i]?.comment ?? '')
    // A here-document (`<<'EOF'` … `EOF`) is the command's body: part of the command.
    const hereDoc = /<<-?\s*'?([A-Za-z_]+)'?/.exec(scanned[i]?.code ?? '')?.[1]
    if (hereDoc !== undefined) while (i + 1 < lines.length && lines[i]?.trim() !== hereDoc) i++
    // `# → …` lines right after the command describe its answer.
    for (let j = i + 1; j < scanned.length && /^\s*#\s*→/.test(lines[j] ?? ''); j++) comments.push(scanned[j]?.comment ?? '')
    const text = comments.join(' ')
    found.push({ first: first + 1, last: i + 1, text, command: lines.slice(first, i + 1).join('\n'), ...promises(text) })
  }
  return found
}

export interface Addresses {
  fabricPort: number
  sandboxdPort: number
  token: string
}

/** The page's examples as one bash script whose `curl` logs every call to $DOCS_CALL_LOG. */
export function pageScript(page: string, markdown: string, at: Addresses): PageScript {
  const body = shellExamples(markdown)
    .flat()
    .map((line) =>
      line
        .replaceAll('127.0.0.1:8787', `127.0.0.1:${at.fabricPort}`)
        .replaceAll('localhost:8787', `127.0.0.1:${at.fabricPort}`)
        .replaceAll('localhost:8788', `127.0.0.1:${at.sandboxdPort}`)
        .replaceAll('SANDBOXD_PORT=8788', `SANDBOXD_PORT=${at.sandboxdPort}`)
        .replaceAll('dev-token-change-me', at.token),
    )
  const prelude = [
    'set -eo pipefail',
    // The real curl, with the status and body logged as "<script line>\t<status>\t<base64 body>".
    'curl() { local out; out=$(mktemp); local status; status=$(command curl -s -o "$out" -w "%{http_code}" "$@") || { rm -f "$out"; return 1; }; printf "%s\\t%s\\t%s\\n" "$((BASH_LINENO[0] - PRELUDE))" "$status" "$(base64 -w0 < "$out")" >> "$DOCS_CALL_LOG"; cat "$out"; rm -f "$out"; }',
  ]
  const script = [`PRELUDE=${prelude.length + 1}`, ...prelude, ...body].join('\n')
  return { page, script, expectations: expectationsOf(body) }
}

export interface Call {
  line: number
  status: number
  body: string
}

export function parseCallLog(log: string): Call[] {
  return log
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const [at, status, body] = line.split('\t')
      return { line: Number(at), status: Number(status), body: Buffer.from(body ?? '', 'base64').toString('utf8') }
    })
}

/** What is wrong with one call's answer, or undefined when it keeps its promise. */
export function broken(call: Call, expectation: Expectation): string | undefined {
  const statusOk = expectation.status !== undefined ? call.status === expectation.status : call.status >= 200 && call.status < 300
  if (!statusOk) return `status ${call.status}, documented ${expectation.status ?? '2xx'}`
  if (expectation.code && !call.body.includes(`"code":"${expectation.code}"`)) return `no error code ${expectation.code} in the answer`
  const missing = expectation.fragments.filter((fragment) => !call.body.includes(fragment))
  if (missing.length > 0) return `the answer lacks ${missing.join(', ')}`
  return undefined
}
