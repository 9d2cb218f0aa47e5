/**
 * Word expansion, in POSIX order: parameters ($NAME, ${NAME}, $?), field
 * splitting of unquoted expansions on spaces, tabs and newlines, then
 * pathname expansion of unquoted `*`, `?` and `[` through fsx glob (no
 * match leaves the word as written, as sh does). A leading unquoted `~`
 * becomes $HOME. Quoted text is never split or globbed.
 */
import type { FileSystem } from '../../../types/execution'
import type { Word } from './ast'

export interface ExpansionScope {
  variables: ReadonlyMap<string, string>
  lastStatus: number
  cwd: string
  fs: FileSystem
}

/** A field under construction: its text, and the same text with glob characters of quoted parts escaped. */
interface Field {
  text: string
  pattern: string
  globbing: boolean
  /** Whether anything quoted contributed, so an empty field still counts. */
  quoted: boolean
}

const GLOB_CHARACTERS = /[*?[]/
const IFS_WHITESPACE = /[ \t\n]+/

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]{}\\]/g, '\\$&')
}

function parameter(name: string, scope: ExpansionScope): string {
  return name === '?' ? String(scope.lastStatus) : (scope.variables.get(name) ?? '')
}

/** Expands a word into fields before pathname expansion. */
function fieldsOf(word: Word, scope: ExpansionScope): Field[] {
  const fields: Field[] = []
  let current: Field | undefined
  const append = (text: string, quoted: boolean, globbable: boolean) => {
    current ??= { text: '', pattern: '', globbing: false, quoted: false }
    current.text += text
    current.pattern += globbable ? text : escapeGlob(text)
    current.globbing ||= globbable && GLOB_CHARACTERS.test(text)
    current.quoted ||= quoted
  }
  word.parts.forEach((part, index) => {
    if (part.kind === 'literal') {
      const tilde = index === 0 && !part.quoted && /^~(\/|$)/.test(part.text) && scope.variables.has('HOME')
      const text = tilde ? (scope.variables.get('HOME') as string) + part.text.slice(1) : part.text
      append(text, part.quoted, !part.quoted)
      return
    }
    const value = parameter(part.name, scope)
    if (part.quoted) return append(value, true, false)
    // An unquoted expansion is split on whitespace; its pieces may glob.
    const pieces = value.split(IFS_WHITESPACE)
    pieces.forEach((piece, pieceIndex) => {
      if (pieceIndex > 0 && current) {
        fields.push(current)
        current = undefined
      }
      if (piece !== '') append(piece, false, true)
    })
  })
  if (current && (current.text !== '' || current.quoted)) fields.push(current)
  return fields
}

function relativeTo(cwd: string, absolute: string, patternIsAbsolute: boolean): string {
  if (patternIsAbsolute) return absolute
  const prefix = cwd === '/' ? '/' : `${cwd}/`
  return absolute.startsWith(prefix) ? absolute.slice(prefix.length) : absolute
}

async function glob(field: Field, scope: ExpansionScope): Promise<string[]> {
  if (!field.globbing) return [field.text]
  try {
    const matches = await scope.fs.glob(field.pattern, { cwd: scope.cwd })
    return matches.length > 0 ? matches.map((path) => relativeTo(scope.cwd, path, field.pattern.startsWith('/'))) : [field.text]
  } catch {
    // A pattern fsx refuses (too long, unsafe characters) matches nothing.
    return [field.text]
  }
}

export async function expandWord(word: Word, scope: ExpansionScope): Promise<string[]> {
  const out: string[] = []
  for (const field of fieldsOf(word, scope)) out.push(...(await glob(field, scope)))
  return out
}

export async function expandWords(words: readonly Word[], scope: ExpansionScope): Promise<string[]> {
  const out: string[] = []
  for (const word of words) out.push(...(await expandWord(word, scope)))
  return out
}

/** Expansion without field splitting or globbing: assignment values. */
export function expandToString(word: Word, scope: ExpansionScope): string {
  return word.parts.map((part) => (part.kind === 'literal' ? part.text : parameter(part.name, scope))).join('')
}
