/**
 * The tar archive format for tar: writing POSIX ustar headers (names over
 * 100 bytes split into prefix/name; longer ones refused) and reading what
 * GNU tar writes — ustar and GNU's `ustar  ` magic, GNU long names (`L`,
 * `K`), pax extended headers (`x` path/linkpath/size; `g` skipped). An
 * archive ends at two zero blocks or at its last block; a header whose
 * checksum is wrong is not an archive.
 */
import { UnsupportedFeature } from '../context'
import { concatBytes, decodeUtf8, encodeUtf8 } from '../text'

export const BLOCK = 512
/** GNU tar's default record: 20 blocks; an archive is padded to a whole record. */
export const RECORD = 20 * BLOCK

export interface TarEntry {
  name: string
  /** '0' file, '5' directory, '2' symlink, '1' hard link, others as found. */
  type: string
  mode: number
  uid: number
  gid: number
  uname: string
  gname: string
  /** Seconds since the epoch. */
  mtime: number
  linkName: string
  data: Uint8Array
}

export class NotAnArchive extends Error {}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0')
}

function putText(block: Uint8Array, offset: number, width: number, text: string): void {
  block.set(encodeUtf8(text).slice(0, width), offset)
}

/** Splits a long name at a slash so that it fits ustar's prefix (155) and name (100). */
function splitName(name: string): [string, string] {
  const bytes = encodeUtf8(name)
  if (bytes.length <= 100) return ['', name]
  for (let i = name.length - 1; i > 0; i--) {
    if (name[i] !== '/') continue
    const prefix = name.slice(0, i)
    const rest = name.slice(i + 1)
    if (encodeUtf8(prefix).length <= 155 && encodeUtf8(rest).length <= 100 && rest !== '') return [prefix, rest]
  }
  throw new UnsupportedFeature('tar', `a member name of ${bytes.length} bytes (over ustar's limit)`)
}

export function encodeHeader(entry: TarEntry): Uint8Array {
  const block = new Uint8Array(BLOCK)
  const [prefix, name] = splitName(entry.name)
  putText(block, 0, 100, name)
  putText(block, 100, 8, octal(entry.mode & 0o7777, 8))
  putText(block, 108, 8, octal(entry.uid, 8))
  putText(block, 116, 8, octal(entry.gid, 8))
  putText(block, 124, 12, octal(entry.data.length, 12))
  putText(block, 136, 12, octal(entry.mtime, 12))
  block.fill(0x20, 148, 156)
  putText(block, 156, 1, entry.type)
  putText(block, 157, 100, entry.linkName)
  putText(block, 257, 8, 'ustar\u000000')
  putText(block, 265, 32, entry.uname)
  putText(block, 297, 32, entry.gname)
  putText(block, 329, 8, octal(0, 8))
  putText(block, 337, 8, octal(0, 8))
  putText(block, 345, 155, prefix)
  const sum = block.reduce((total, byte) => total + byte, 0)
  putText(block, 148, 8, `${octal(sum, 7)}\u0000 `)
  return block
}

/** The archive bytes: header and padded data per entry, two zero blocks, padding to a whole record. */
export function encodeArchive(entries: readonly TarEntry[]): Uint8Array {
  const parts: Uint8Array[] = []
  let length = 0
  for (const entry of entries) {
    const padded = Math.ceil(entry.data.length / BLOCK) * BLOCK
    const body = new Uint8Array(padded)
    body.set(entry.data)
    parts.push(encodeHeader(entry), body)
    length += BLOCK + padded
  }
  length += 2 * BLOCK
  parts.push(new Uint8Array(Math.ceil(length / RECORD) * RECORD - (length - 2 * BLOCK)))
  return concatBytes(parts)
}

function text(block: Uint8Array, offset: number, width: number): string {
  const field = block.subarray(offset, offset + width)
  const end = field.indexOf(0)
  return decodeUtf8(end === -1 ? field : field.subarray(0, end))
}

function number(block: Uint8Array, offset: number, width: number): number {
  // GNU's base-256 form for values that do not fit in octal.
  if ((block[offset] as number) & 0x80) {
    let value = (block[offset] as number) & 0x7f
    for (let i = 1; i < width; i++) value = value * 256 + (block[offset + i] as number)
    return value
  }
  const digits = text(block, offset, width).trim()
  return digits === '' ? 0 : Number.parseInt(digits, 8)
}

function checksumMatches(block: Uint8Array): boolean {
  let unsigned = 0
  for (let i = 0; i < BLOCK; i++) unsigned += i >= 148 && i < 156 ? 0x20 : (block[i] as number)
  return unsigned === number(block, 148, 8)
}

/** pax `length key=value\n` records. */
function paxRecords(data: Uint8Array): Map<string, string> {
  const records = new Map<string, string>()
  const body = decodeUtf8(data)
  let at = 0
  while (at < body.length) {
    const space = body.indexOf(' ', at)
    const length = Number(body.slice(at, space))
    if (space === -1 || !Number.isInteger(length) || length <= 0) break
    const record = body.slice(space + 1, at + length - 1)
    const eq = record.indexOf('=')
    if (eq !== -1) records.set(record.slice(0, eq), record.slice(eq + 1))
    at += length
  }
  return records
}

function isZero(block: Uint8Array): boolean {
  return block.every((byte) => byte === 0)
}

/** Every member of an archive, in order; throws NotAnArchive when the first header is not one. */
export function decodeArchive(archive: Uint8Array): TarEntry[] {
  const entries: TarEntry[] = []
  let longName: string | undefined
  let longLink: string | undefined
  let pax = new Map<string, string>()
  let at = 0
  while (at + BLOCK <= archive.length) {
    const block = archive.subarray(at, at + BLOCK)
    if (isZero(block)) break
    if (!checksumMatches(block)) {
      if (entries.length === 0 && longName === undefined) throw new NotAnArchive()
      break
    }
    const size = Number(pax.get('size') ?? number(block, 124, 12))
    const data = archive.slice(at + BLOCK, at + BLOCK + size)
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK
    const type = String.fromCharCode(block[156] as number)
    if (type === 'L' || type === 'K') {
      const value = text(data, 0, data.length)
      if (type === 'L') longName = value
      else longLink = value
      continue
    }
    if (type === 'x') {
      pax = paxRecords(data)
      continue
    }
    if (type === 'g') continue
    const prefix = text(block, 345, 155)
    const name = pax.get('path') ?? longName ?? (prefix === '' ? text(block, 0, 100) : `${prefix}/${text(block, 0, 100)}`)
    entries.push({
      name,
      type: type === '\u0000' ? '0' : type,
      mode: number(block, 100, 8),
      uid: number(block, 108, 8),
      gid: number(block, 116, 8),
      uname: text(block, 265, 32),
      gname: text(block, 297, 32),
      mtime: number(block, 136, 12),
      linkName: pax.get('linkpath') ?? longLink ?? text(block, 157, 100),
      data,
    })
    longName = undefined
    longLink = undefined
    pax = new Map()
  }
  if (entries.length === 0 && at === 0 && (archive.length === 0 || !isZero(archive.subarray(0, Math.min(BLOCK, archive.length))))) throw new NotAnArchive()
  return entries
}
