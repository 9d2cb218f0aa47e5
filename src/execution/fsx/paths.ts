/**
 * Path rules of fsx, as pure functions. A path the caller gives is POSIX,
 * absolute or relative to a cwd; it is normalised lexically (`.`, `//`,
 * trailing `/`, `..`) into an absolute path *inside the fs root* such as
 * `/a/b.txt`. Anything unsafe is refused with an `FsError`, never rewritten:
 *
 * - `..` climbing above the root          → EACCES
 * - NUL and control characters (0x00–0x1f, 0x7f), lone UTF-16 surrogates → EINVAL
 * - a component over 255 bytes or a path over 4096 bytes (UTF-8) → EINVAL ("File name too long")
 * - the empty path                         → ENOENT (as open("") does)
 *
 * Backslashes are ordinary characters, not separators.
 */
import { FsError, nameTooLong } from './errors'

export const MAX_COMPONENT_BYTES = 255
export const MAX_PATH_BYTES = 4096

const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/
/** With the `u` flag a well-formed surrogate pair is one code point, so only lone halves match. */
const LONE_SURROGATE = /\p{Surrogate}/u

const encoder = new TextEncoder()

export function utf8Length(text: string): number {
  return encoder.encode(text).length
}

/** Refuses characters that could smuggle meaning into a storage key or a log line. */
export function assertSafeCharacters(text: string, reportAs: string): void {
  if (CONTROL_CHARACTER.test(text)) {
    throw new FsError('EINVAL', reportAs, { hint: 'paths may not contain NUL or control characters (0x00-0x1f, 0x7f)' })
  }
  if (LONE_SURROGATE.test(text)) {
    throw new FsError('EINVAL', reportAs, { hint: 'the path is not well-formed Unicode (lone surrogate)' })
  }
}

function assertRawPath(path: unknown, reportAs: string): asserts path is string {
  if (typeof path !== 'string') throw new FsError('EINVAL', String(path), { hint: 'a path must be a string' })
  if (path === '') throw new FsError('ENOENT', reportAs, { hint: 'the path is empty' })
  assertSafeCharacters(path, reportAs)
  if (utf8Length(path) > MAX_PATH_BYTES) {
    throw nameTooLong(reportAs, `a path may be at most ${MAX_PATH_BYTES} bytes of UTF-8`)
  }
}

/** Applies `.`, `..` and empty components to `stack` in place. */
function walkComponents(stack: string[], path: string, reportAs: string): void {
  for (const component of path.split('/')) {
    if (component === '' || component === '.') continue
    if (utf8Length(component) > MAX_COMPONENT_BYTES) {
      throw nameTooLong(reportAs, `a path component may be at most ${MAX_COMPONENT_BYTES} bytes of UTF-8`)
    }
    if (component === '..') {
      if (stack.length === 0) {
        throw new FsError('EACCES', reportAs, { hint: "'..' would leave the root of this filesystem" })
      }
      stack.pop()
      continue
    }
    stack.push(component)
  }
}

/**
 * Resolves `path` against `cwd` (itself absolute or relative to `/`) into a
 * normalised absolute path such as `/a/b`; the root is `/`.
 */
export function resolvePath(cwd: string, path: string): string {
  assertRawPath(path, path)
  const stack: string[] = []
  if (!path.startsWith('/')) {
    assertRawPath(cwd, cwd)
    walkComponents(stack, cwd, cwd)
  }
  walkComponents(stack, path, path)
  const resolved = `/${stack.join('/')}`
  if (utf8Length(resolved) > MAX_PATH_BYTES) {
    throw nameTooLong(path, `the resolved path may be at most ${MAX_PATH_BYTES} bytes of UTF-8`)
  }
  return resolved
}

/**
 * Whether a stored name could be reached through fsx. Keys written by other
 * tools may hold empty, `.`/`..` or control-character components; listings
 * leave those out instead of handing back paths that would resolve elsewhere.
 */
export function isReachableName(name: string): boolean {
  return (
    name !== '' &&
    name !== '.' &&
    name !== '..' &&
    !CONTROL_CHARACTER.test(name) &&
    !LONE_SURROGATE.test(name) &&
    utf8Length(name) <= MAX_COMPONENT_BYTES
  )
}

/** `/a/b` → `/a`; `/a` → `/`; `/` → `/`. */
export function parentPath(absolute: string): string {
  const slash = absolute.lastIndexOf('/')
  return slash <= 0 ? '/' : absolute.slice(0, slash)
}

/** `/a/b` → `b`; `/` → ``. */
export function baseName(absolute: string): string {
  return absolute.slice(absolute.lastIndexOf('/') + 1)
}

export function joinPath(directory: string, name: string): string {
  return directory === '/' ? `/${name}` : `${directory}/${name}`
}

/** True when `inner` is `outer` itself or lies below it. */
export function isSameOrInside(inner: string, outer: string): boolean {
  return inner === outer || outer === '/' || inner.startsWith(`${outer}/`)
}

/**
 * Orders strings by Unicode code point, which is the byte order of their
 * UTF-8 form (what `LC_ALL=C ls` and R2 listings use); plain `<` on UTF-16
 * code units differs for characters above U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const left = a[Symbol.iterator]()
  const right = b[Symbol.iterator]()
  for (;;) {
    const l = left.next()
    const r = right.next()
    if (l.done || r.done) return l.done === r.done ? 0 : l.done ? -1 : 1
    const diff = (l.value.codePointAt(0) ?? 0) - (r.value.codePointAt(0) ?? 0)
    if (diff !== 0) return diff
  }
}
