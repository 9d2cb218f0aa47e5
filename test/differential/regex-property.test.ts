/**
 * Property: on random patterns and inputs, tier-1 grep (on our own regex
 * engine) answers exactly as GNU grep on this machine, for ERE (-E) and BRE
 * (-G): the same `-on` output — which lines match, and every match's extent
 * under POSIX leftmost-longest — and the same exit status. Seeded, bounded.
 */
import { spawnSync } from 'node:child_process'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { runTier1 } from './tier1'
// @ts-expect-error -- plain ES module shared with the GNU recorder
import { ENV } from './gnu.mjs'

type Tree =
  | { kind: 'lit'; char: string }
  | { kind: 'dot' }
  | { kind: 'set'; negated: boolean; chars: string }
  | { kind: 'cat'; parts: Tree[] }
  | { kind: 'alt'; left: Tree; right: Tree }
  | { kind: 'rep'; body: Tree; op: '*' | '+' | '?' | `{${number},${number}}` }
  | { kind: 'anchor'; which: '^' | '$' }

/** Anchors anywhere: in a BRE a `^`/`$` mid-pattern is a literal and at an end or group edge an anchor, which both sides must agree on. */
const treeOf = (anchors: boolean): fc.Arbitrary<Tree> => fc.letrec<{ node: Tree }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('lit' as const), char: fc.constantFrom('a', 'b', 'c') }),
    fc.record({ kind: fc.constant('dot' as const) }),
    fc.record({ kind: fc.constant('set' as const), negated: fc.boolean(), chars: fc.constantFrom('a', 'ab', 'bc', 'a-b') }),
    fc.record({ kind: fc.constant('cat' as const), parts: fc.array(tie('node'), { minLength: 2, maxLength: 3 }) }),
    fc.record({ kind: fc.constant('alt' as const), left: tie('node'), right: tie('node') }),
    fc.record({ kind: fc.constant('rep' as const), body: tie('node'), op: fc.constantFrom('*' as const, '+' as const, '?' as const, '{1,2}' as const, '{0,3}' as const) }),
    ...(anchors ? [fc.record({ kind: fc.constant('anchor' as const), which: fc.constantFrom('^' as const, '$' as const) })] : []),
  ),
})).node

/** Prints the tree as ERE, or as GNU BRE (`\(`, `\|`, `\+`, `\?`, `\{`). */
function print(node: Tree, bre: boolean): string {
  const esc = (text: string) => (bre ? `\\${text}` : text)
  switch (node.kind) {
    case 'lit':
      return node.char
    case 'dot':
      return '.'
    case 'set':
      return `[${node.negated ? '^' : ''}${node.chars}]`
    case 'anchor':
      return node.which
    case 'cat':
      return node.parts.map((part) => print(part, bre)).join('')
    case 'alt':
      return `${esc('(')}${print(node.left, bre)}${esc('|')}${print(node.right, bre)}${esc(')')}`
    case 'rep': {
      const op = node.op === '*' ? '*' : node.op.startsWith('{') ? `${esc('{')}${node.op.slice(1, -1)}${esc('}')}` : esc(node.op)
      return `${esc('(')}${print(node.body, bre)}${esc(')')}${op}`
    }
  }
}

// `^ $ *` in the text, so a BRE that reads them as literals has something to match.
const input = fc.array(fc.stringMatching(/^[abc^$*]{0,8}$/), { minLength: 1, maxLength: 5 }).map((lines) => `${lines.join('\n')}\n`)

function gnuGrep(args: string[], stdin: string): { stdout: string; exitCode: number } {
  const result = spawnSync('grep', args, { input: stdin, env: ENV })
  return { stdout: result.stdout.toString('utf8'), exitCode: result.status ?? 128 }
}

describe('the tier-1 regex engine agrees with GNU grep', () => {
  for (const [flavor, bre] of [['-E', false], ['-G', true]] as const) {
    it(`on random ${flavor} patterns and inputs (grep -on)`, async () => {
      await fc.assert(
        fc.asyncProperty(treeOf(true), input, async (node, text) => {
          const pattern = print(node, bre)
          const args = [flavor, '-on', '-e', pattern]
          const gnu = gnuGrep(args, text)
          const ours = await runTier1({ id: 0, family: 'property', stages: [['grep', ...args]], stdin: text })
          expect({ stdout: ours.stdout, exitCode: ours.exitCode }).toEqual(gnu)
        }),
        { seed: 13, numRuns: 250 },
      )
    }, 300_000)
  }
})

/** BRE context rules for `^`, `$` and `*` (glibc: anchors only at the ends of the pattern, a group or an alternative). */
const BRE_CONTEXT = ['^^', 'a^b', 'a^', '^*', '^*a', '*a', '\\(*a\\)', 'a\\|*b', '$$', 'a$b', '$a', '^$', 'x$\\|^a', '\\(^a\\)', '\\(a$\\)', 'a**', '^\\+', 'b*^', 'a*\\{2\\}', 'a\\+*', 'a*\\+']
const BRE_TEXT = '^start\na^b\na^\n*a\n$$\na$b\n$a\n\nab\nxa\nb*^\n+x\n'

describe('BRE `^`, `$` and `*` by context, as GNU grep and sed read them', () => {
  it.each(BRE_CONTEXT)('grep -on %s', async (pattern) => {
    const args = ['-on', '-e', pattern]
    const ours = await runTier1({ id: 0, family: 'bre', stages: [['grep', ...args]], stdin: BRE_TEXT })
    expect({ stdout: ours.stdout, exitCode: ours.exitCode }).toEqual(gnuGrep(args, BRE_TEXT))
  })

  it.each(BRE_CONTEXT)('sed s/%s/<&>/g', async (pattern) => {
    const args = [`s/${pattern}/<&>/g`]
    const gnu = spawnSync('sed', args, { input: BRE_TEXT, env: ENV })
    const ours = await runTier1({ id: 0, family: 'bre', stages: [['sed', ...args]], stdin: BRE_TEXT })
    expect({ stdout: ours.stdout, exitCode: ours.exitCode }).toEqual({ stdout: gnu.stdout.toString('utf8'), exitCode: gnu.status })
  })
})
