/**
 * Brace expansion, the first expansion bash performs: `{a,b}c` → ac bc,
 * nestable, and sequences `{1..5}`, `{01..10..2}`, `{a..e}`. It works on
 * the unquoted literal characters of a word; quoted text and expansions
 * ($x, $(…)) pass through untouched. Bounded: at most MAX_WORDS results.
 */
import type { Word, WordPart } from './ast'

const MAX_WORDS = 100_000

/** An unquoted literal character, or any other part kept whole. */
type Item = { char: string } | { part: WordPart }

function itemsOf(word: Word): Item[] {
  const items: Item[] = []
  for (const part of word.parts) {
    if (part.kind === 'literal' && !part.quoted) for (const char of part.text) items.push({ char })
    else items.push({ part })
  }
  return items
}

function wordOf(items: readonly Item[], column: number): Word {
  const parts: WordPart[] = []
  for (const item of items) {
    const last = parts[parts.length - 1]
    if ('char' in item) {
      if (last?.kind === 'literal' && !last.quoted) last.text += item.char
      else parts.push({ kind: 'literal', text: item.char, quoted: false })
    } else parts.push(item.part.kind === 'literal' ? { ...item.part } : item.part)
  }
  return { parts, column }
}

const charAt = (items: readonly Item[], i: number): string | undefined => {
  const item = items[i]
  return item && 'char' in item ? item.char : undefined
}

/** The alternatives of the brace group opening at `open`, or undefined when it is not one. */
function group(items: readonly Item[], open: number): { close: number; alternatives: Item[][] } | undefined {
  let depth = 0
  const commas: number[] = []
  for (let i = open + 1; i < items.length; i++) {
    const char = charAt(items, i)
    if (char === '\\') i++
    else if (char === '{') depth++
    else if (char === '}') {
      if (depth === 0) {
        if (commas.length > 0) {
          const bounds = [open, ...commas, i]
          return { close: i, alternatives: bounds.slice(1).map((end, k) => items.slice((bounds[k] as number) + 1, end)) }
        }
        const sequence = expandSequence(items.slice(open + 1, i))
        return sequence ? { close: i, alternatives: sequence.map((text) => Array.from(text, (char) => ({ char }))) } : undefined
      }
      depth--
    } else if (char === ',' && depth === 0) commas.push(i)
  }
  return undefined
}

function expandSequence(inner: readonly Item[]): string[] | undefined {
  if (!inner.every((item) => 'char' in item)) return undefined
  const text = inner.map((item) => ('char' in item ? item.char : '')).join('')
  const numeric = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(text)
  if (numeric) {
    const [, a = '', b = '', s] = numeric
    const start = Number(a)
    const end = Number(b)
    const step = Math.abs(Number(s ?? 1)) || 1
    const width = /^-?0\d/.test(a) || /^-?0\d/.test(b) ? Math.max(a.length, b.length) : 0
    const out: string[] = []
    for (let n = start; start <= end ? n <= end : n >= end; n += start <= end ? step : -step) {
      if (out.length >= MAX_WORDS) return undefined
      const digits = String(Math.abs(n)).padStart(width - (n < 0 ? 1 : 0), '0')
      out.push(n < 0 ? `-${digits}` : digits)
    }
    return out
  }
  const letters = /^([A-Za-z])\.\.([A-Za-z])(?:\.\.(-?\d+))?$/.exec(text)
  if (!letters) return undefined
  const start = (letters[1] as string).charCodeAt(0)
  const end = (letters[2] as string).charCodeAt(0)
  const step = Math.abs(Number(letters[3] ?? 1)) || 1
  const out: string[] = []
  for (let c = start; start <= end ? c <= end : c >= end; c += start <= end ? step : -step) out.push(String.fromCharCode(c))
  return out
}

function expandItems(items: readonly Item[], budget: { left: number }): Item[][] {
  for (let i = 0; i < items.length; i++) {
    const char = charAt(items, i)
    if (char === '\\') {
      i++
      continue
    }
    if (char !== '{') continue
    const found = group(items, i)
    if (!found) continue
    const prefix = items.slice(0, i)
    const suffixes = expandItems(items.slice(found.close + 1), budget)
    const out: Item[][] = []
    for (const alternative of found.alternatives) {
      for (const middle of expandItems(alternative, budget)) {
        for (const suffix of suffixes) {
          if (--budget.left < 0) return [items.slice()]
          out.push([...prefix, ...middle, ...suffix])
        }
      }
    }
    return out
  }
  return [items.slice()]
}

export function braceExpand(word: Word): Word[] {
  const unquoted = (char: string) => word.parts.some((part) => part.kind === 'literal' && !part.quoted && part.text.includes(char))
  if (!unquoted('{') || !unquoted('}')) return [word]
  return expandItems(itemsOf(word), { left: MAX_WORDS }).map((items) => wordOf(items, word.column))
}
