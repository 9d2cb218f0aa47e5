/**
 * The stages of a command line as policy sees them: each simple command's
 * operation, its words, and its redirection targets. Quotes and escapes are
 * honoured; `|`, `||`, `&&`, `;`, `&` and newlines separate stages;
 * `$( … )` and backtick substitutions are split too and their commands
 * become stages of their own, so nothing hides inside them. Words stay
 * unexpanded (`$HOME` is checked as written): checking more than runs is safe,
 * checking less would not be.
 */
import type { StageForPolicy } from './actions'

interface Draft {
  words: string[]
  redirects: Array<{ direction: 'read' | 'write'; path: string }>
  pending?: 'read' | 'write'
}

const SEPARATORS = new Set(['|', '&', ';', '\n'])

/** Index just past the `)` closing the `$(` whose body starts at `from`, honouring quotes and nesting. */
function closingParen(line: string, from: number): number {
  let depth = 1
  let quote: string | undefined
  for (let i = from; i < line.length; i++) {
    const ch = line[i]
    if (quote) {
      if (ch === '\\' && quote === '"') i++
      else if (ch === quote) quote = undefined
    } else if (ch === '\\') i++
    else if (ch === "'" || ch === '"') quote = ch
    else if (ch === '(') depth++
    else if (ch === ')' && --depth === 0) return i + 1
  }
  return line.length
}

export function splitCommandLine(line: string): StageForPolicy[] {
  const stages: StageForPolicy[] = []
  let draft: Draft = { words: [], redirects: [] }
  let word: string | undefined
  let quote: string | undefined

  const endWord = () => {
    if (word === undefined) return
    if (draft.pending) {
      draft.redirects.push({ direction: draft.pending, path: word })
      delete draft.pending
    } else draft.words.push(word)
    word = undefined
  }
  const endStage = () => {
    endWord()
    const [operation, ...args] = draft.words
    if (operation !== undefined) stages.push({ operation, args, redirects: draft.redirects })
    else if (draft.redirects.length > 0) stages.push({ operation: '', args: [], redirects: draft.redirects })
    draft = { words: [], redirects: [] }
  }

  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string
    if (quote === "'") {
      if (ch === "'") quote = undefined
      else word += ch
      continue
    }
    if (ch === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i]
      continue
    }
    if (ch === '$' && line[i + 1] === '(') {
      const end = closingParen(line, i + 2)
      stages.push(...splitCommandLine(line.slice(i + 2, end - 1)))
      word = (word ?? '') + line.slice(i, end)
      i = end - 1
      continue
    }
    if (ch === '`') {
      const end = line.indexOf('`', i + 1)
      const close = end < 0 ? line.length : end
      stages.push(...splitCommandLine(line.slice(i + 1, close)))
      word = (word ?? '') + line.slice(i, close + 1)
      i = close
      continue
    }
    if (quote === '"') {
      if (ch === '"') quote = undefined
      else word += ch
      continue
    }
    if (ch === "'" || ch === '"') {
      quote = ch
      word = word ?? ''
    } else if (ch === ' ' || ch === '\t') endWord()
    else if (SEPARATORS.has(ch)) endStage()
    else if (ch === '>' || ch === '<') {
      // `2>&1`, `>&2`: a descriptor, not a file.
      const fdDigits = word !== undefined && /^\d+$/.test(word)
      if (fdDigits) word = undefined
      endWord()
      if (line[i + 1] === '>' && ch === '>') i++
      if (line[i + 1] === '&') {
        i++
        while (i + 1 < line.length && /[0-9-]/.test(line[i + 1] as string)) i++
        continue
      }
      draft.pending = ch === '<' ? 'read' : 'write'
    } else word = (word ?? '') + ch
  }
  endStage()
  return stages
}
