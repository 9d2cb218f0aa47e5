/**
 * fast-check generators shared by the fuzz suites: strings that look like the
 * input an attacker or a confused client sends (traversal, control characters,
 * encodings, huge components, lone surrogates, shell metacharacters), mixed with
 * plain valid input so properties also see the happy path.
 */
import fc from 'fast-check'

/** Path components that try to escape, smuggle separators or break key encodings. */
const HOSTILE_COMPONENTS = [
  '..',
  '.',
  '',
  '...',
  '%2e%2e',
  '..\\..',
  '\\',
  '~',
  '$HOME',
  'a\u0000b',
  '\n',
  '\u007f',
  '\ud800',
  '\udc00x',
  'tenants',
  'agents',
  '😀',
  'é',
  ' ',
  '*',
  '?',
  '[a-z]',
]

/** One path component: hostile, ordinary, any unicode, or longer than the 255-byte limit. */
const pathComponent: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...HOSTILE_COMPONENTS),
  fc.stringMatching(/^[a-z0-9._-]{1,12}$/),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', minLength: 250, maxLength: 300 }),
)

/** A POSIX-ish path assembled from components, sometimes absolute, sometimes with doubled slashes. */
export const hostilePath: fc.Arbitrary<string> = fc
  .tuple(fc.boolean(), fc.array(pathComponent, { maxLength: 8 }), fc.constantFrom('/', '//', '/./'), fc.boolean())
  .map(([absolute, parts, separator, trailing]) => `${absolute ? '/' : ''}${parts.join(separator)}${trailing ? '/' : ''}`)

/** Anything a client could put where a string is expected. */
export const anyString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.string({ unit: 'grapheme', maxLength: 64 }),
  hostilePath,
)

/** Arbitrary JSON values, including deep nesting and odd keys such as __proto__. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.constant({ __proto__: { polluted: true } }),
  fc.constant({ constructor: { prototype: { polluted: true } } }),
  fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'toString', 'command', 'operation', 'args'), fc.jsonValue({ maxDepth: 2 })),
)
